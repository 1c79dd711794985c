// History: the user's jobs, newest first, paged from the server (so a reload or another browser shows the
// same), each with its state, a thumbnail and "open", "again" and "delete".
import { call, imageURL } from "./api.js";
import { el, shortPrompt } from "./dom.js";
import { fill, submit } from "./generate.js";

const list = document.getElementById("history-list");
const empty = document.getElementById("history-empty");
const more = document.getElementById("history-more");
const pageSize = 24;
let cursor = null;
let open = () => {};
let accepted = () => {};

function item(job) {
  const thumbnail = el("img", { alt: shortPrompt(job, 60), loading: "lazy", hidden: job.images.length === 0 });
  if (job.images.length > 0) imageURL(job.images[0].url).then((url) => { thumbnail.src = url; }, () => {});
  const actions = el(
    "div", { class: "actions" },
    el("button", { type: "button", onclick: () => open(job), "aria-label": `Open ${job.id}` }, "Open"),
    el("button", { type: "button", onclick: () => again(job), "aria-label": `Again ${job.id}` }, "Again"),
    el("button", { type: "button", onclick: () => remove(job), "aria-label": `Delete ${job.id}` }, "Delete"));
  return el(
    "li", { id: `history-${job.id}`, "data-state": job.state },
    thumbnail, el("span", { class: `state-${job.state}` }, job.state), el("span", { class: "prompt" }, shortPrompt(job, 60)),
    actions);
}

function again(job) {
  fill(job);
  submit(accepted);
}

async function remove(job) {
  try {
    await call("DELETE", `/v1/jobs/${job.id}`);
    document.getElementById(`history-${job.id}`)?.remove();
    empty.hidden = list.children.length > 0;
  } catch (error) {
    document.getElementById(`history-${job.id}`)?.append(el("p", { class: "message", role: "alert" }, error.message));
  }
}

/** Puts a job that just ended at the top (or refreshes it in place). */
export function prepend(job) {
  const existing = document.getElementById(`history-${job.id}`);
  if (existing) existing.replaceWith(item(job));
  else list.prepend(item(job));
  empty.hidden = true;
}

async function loadPage() {
  const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
  const page = await call("GET", `/v1/jobs?limit=${pageSize}${query}`);
  for (const job of page.jobs) {
    if (job.state === "queued" || job.state === "running" || document.getElementById(`history-${job.id}`)) continue;
    list.append(item(job));
  }
  cursor = page.next_cursor ?? null;
  more.hidden = cursor === null;
  empty.hidden = list.children.length > 0;
}

/** Loads the first page; `onOpen` shows a job, `onAccepted` takes the job an "again" submitted. */
export async function start(onOpen, onAccepted) {
  open = onOpen;
  accepted = onAccepted;
  more.addEventListener("click", loadPage);
  await loadPage();
}
