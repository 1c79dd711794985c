// "Now": the user's queued and running jobs, each with its place and a live ETA, a step progress bar, the live
// preview and a cancel button. One event stream (`/v1/queue/events`) carries every change of the user's jobs.
import { call, events } from "./api.js";
import { duration, el, shortPrompt } from "./dom.js";

const list = document.getElementById("now-list");
const empty = document.getElementById("now-empty");
/** The jobs shown, by id: `{job, item, bar, status, preview, waitSeconds, waitReadAt}`. */
const shown = new Map();
/**
 * The ids of the jobs seen to end most recently, oldest first: a late read of one (the submit's answer) must not
 * bring it back. A late read comes within seconds, so the newest `endedKept` are enough, and a page left open on
 * a busy farm's queue does not keep every id it ever saw.
 */
const ended = new Set();
const endedKept = 10000;
let onFinished = () => {};

function render() {
  empty.hidden = shown.size > 0;
}

function statusText(entry) {
  const { job } = entry;
  if (job.state === "queued") {
    const ahead = job.position === undefined ? "waiting" : `${job.position} ahead`;
    if (entry.waitSeconds === undefined) return `Queued · ${ahead}`;
    const left = entry.waitSeconds - (performance.now() - entry.waitReadAt) / 1000;
    return `Queued · ${ahead} · starts in about ${duration(left)}`;
  }
  const { step, steps } = job.progress;
  if (!job.started_at || step === 0) return `Running · step 0 of ${steps}`;
  const elapsed = (Date.now() - Date.parse(job.started_at)) / 1000;
  const left = (elapsed / step) * (steps - step);
  return `Running · step ${step} of ${steps} · about ${duration(left)} left`;
}

function entryFor(job) {
  const bar = el("progress", { max: job.progress.steps, value: job.progress.step, "aria-label": `Progress of ${job.id}` });
  const status = el("span", { class: "status", role: "status" });
  const preview = el("img", { class: "preview", alt: `Preview of ${shortPrompt(job, 40)}`, hidden: true });
  const cancel = el("button", { type: "button", onclick: () => cancelJob(job.id) }, "Cancel");
  const item = el(
    "li", { id: `now-${job.id}` },
    el("div", { class: "job-head" }, el("span", { class: "prompt" }, shortPrompt(job)), status),
    bar, preview, el("div", { class: "actions" }, cancel));
  return { job, item, bar, status, preview };
}

/**
 * Whether `job` is older than the version shown: an earlier attempt, or the same attempt and state at an earlier
 * step. A read answered late (the submit's answer, a queued job's refresh) can arrive after the event stream has
 * moved the job on, and must not move its bar back.
 */
function isOlder(job, shown) {
  if (job.attempt !== shown.attempt) return job.attempt < shown.attempt;
  return job.state === shown.state && job.progress.step < shown.progress.step;
}

/** Shows a job that is queued or running, or moves it on once it has ended. */
export function update(job) {
  let entry = shown.get(job.id);
  if (job.state !== "queued" && job.state !== "running") {
    ended.add(job.id);
    if (ended.size > endedKept) ended.delete(ended.values().next().value);
    if (entry) {
      entry.item.remove();
      shown.delete(job.id);
      render();
    }
    onFinished(job);
    return;
  }
  if (ended.has(job.id)) return;
  if (!entry) {
    entry = entryFor(job);
    shown.set(job.id, entry);
    list.prepend(entry.item);
    render();
  } else if (isOlder(job, entry.job)) {
    return;
  }
  if (job.position === undefined && entry.job.state === job.state) job.position = entry.job.position;
  entry.job = job;
  entry.bar.max = job.progress.steps;
  entry.bar.value = job.progress.step;
  entry.status.textContent = statusText(entry);
}

/** Whether job `id` was seen to end. */
export function hasEnded(id) {
  return ended.has(id);
}

function progress({ id, step, steps }) {
  const entry = shown.get(id);
  if (!entry) return;
  entry.job.progress = { step, steps };
  entry.bar.max = steps;
  entry.bar.value = step;
  entry.status.textContent = statusText(entry);
}

function preview({ id, image }) {
  const entry = shown.get(id);
  if (!entry) return;
  entry.preview.src = image;
  entry.preview.hidden = false;
}

async function cancelJob(id) {
  try {
    update(await call("POST", `/v1/jobs/${id}/cancel`));
  } catch (error) {
    shown.get(id)?.status.replaceChildren(`Could not cancel: ${error.message}`);
  }
}

/** Follows the queue's event stream for as long as the page is open, reconnecting after a pause. */
async function follow() {
  for (let pause = 1000; ; pause = Math.min(pause * 2, 15000)) {
    try {
      for await (const { event, data } of events("/v1/queue/events")) {
        pause = 1000;
        const payload = JSON.parse(data);
        if (event === "state") update(payload);
        else if (event === "progress") progress(payload);
        else if (event === "preview") preview(payload);
      }
    } catch {
      // The server went away or the key changed: try again after the pause.
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Re-reads queued jobs for their place and expected wait (at most ten, every two seconds). */
async function refreshQueued() {
  const queued = [...shown.values()].filter((entry) => entry.job.state === "queued").slice(0, 10);
  await Promise.all(queued.map(async (entry) => {
    try {
      const job = await call("GET", `/v1/jobs/${entry.job.id}`);
      entry.waitSeconds = job.estimated_wait_seconds;
      entry.waitReadAt = performance.now();
      update(job);
    } catch {
      // Gone or unreachable: the event stream will say.
    }
  }));
}

/** Loads the user's unfinished jobs and keeps them current; `finished` is told of each job that ends. */
export async function start(finished) {
  onFinished = finished;
  follow();
  for (const state of ["queued", "running"]) {
    const page = await call("GET", `/v1/jobs?state=${state}&limit=50`);
    for (const job of page.jobs.reverse()) if (!shown.has(job.id)) update(job);
  }
  render();
  setInterval(() => {
    for (const entry of shown.values()) entry.status.textContent = statusText(entry);
  }, 1000);
  setInterval(refreshQueued, 2000);
  refreshQueued();
}
