// The Queue view, for operators: depth, waits by priority, each backend's breaker, slots and GPU memory, and
// completions per minute over the last 15 minutes (kept by the gateway), from `/v1/queue` every two seconds while
// the view is open.
import { call } from "./api.js";
import { duration, el } from "./dom.js";

const figures = document.getElementById("queue-figures");
const priorities = document.querySelector("#queue-priorities tbody");
const backends = document.querySelector("#queue-backends tbody");
const chart = document.getElementById("queue-rate");
const peak = document.getElementById("queue-rate-peak");
const svg = "http://www.w3.org/2000/svg";
let timer = null;

function figure(name, value) {
  return el("div", {}, el("dt", {}, name), el("dd", {}, String(value)));
}

function gibibytes(bytes) {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

function renderFigures(queue) {
  const wait = queue.predictions?.find((prediction) => prediction.priority === 5);
  figures.replaceChildren(
    figure("Queued", queue.queued),
    figure("Running", queue.running),
    figure("Busy slots", `${queue.busy_slots} of ${queue.slots}`),
    figure("Completions per minute", (queue.completed_per_second * 60).toFixed(1)),
    figure("A new job waits", wait ? duration(wait.predicted_wait_seconds) : "—"));
}

function renderPriorities(queue) {
  const depth = new Map((queue.queued_by_priority ?? []).map((entry) => [entry.priority, entry.queued]));
  const rows = (queue.predictions ?? []).slice().sort((a, b) => b.priority - a.priority).map((prediction) =>
    el("tr", {},
      el("td", {}, String(prediction.priority)),
      el("td", {}, String(depth.get(prediction.priority) ?? 0)),
      el("td", {}, duration(prediction.predicted_wait_seconds))));
  priorities.replaceChildren(...rows);
}

function renderBackends(queue) {
  const rows = queue.backends.map((backend) => {
    const memory = backend.gpu_memory_total_bytes
      ? `${gibibytes(backend.gpu_memory_used_bytes ?? 0)} of ${gibibytes(backend.gpu_memory_total_bytes)}`
      : "—";
    return el("tr", { "data-backend": backend.id },
      el("td", {}, `${backend.id} (${backend.kind})`),
      el("td", { class: `breaker-${backend.breaker}` }, backend.breaker.replace("_", "-")),
      el("td", {}, String(backend.slots)),
      el("td", {}, String(backend.busy_slots)),
      el("td", {}, memory));
  });
  backends.replaceChildren(...rows);
}

const span = 15 * 60 * 1000;

/** A line of completions per minute over the last 15 minutes, oldest on the left, drawn into the page's SVG from
 *  the samples the gateway keeps (`completions_per_minute`), so a reload or another browser draws the same. */
function renderChart(queue) {
  const now = Date.now();
  const samples = (queue.completions_per_minute ?? [])
    .map((sample) => ({ at: Date.parse(sample.at), perMinute: sample.per_minute }))
    .filter((sample) => sample.at >= now - span);
  const top = Math.max(1, ...samples.map((sample) => sample.perMinute));
  const points = samples.map((sample) => {
    const x = Math.min(300, 300 - ((now - sample.at) / span) * 300);
    const y = 76 - (sample.perMinute / top) * 70;
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  const line = document.createElementNS(svg, "polyline");
  line.setAttribute("points", points.join(" "));
  chart.replaceChildren(line);
  const latest = samples.at(-1)?.perMinute ?? queue.completed_per_second * 60;
  peak.textContent = `Peak ${top.toFixed(1)} per minute; now ${latest.toFixed(1)}.`;
}

async function refresh() {
  try {
    const queue = await call("GET", "/v1/queue");
    renderFigures(queue);
    renderPriorities(queue);
    renderBackends(queue);
    renderChart(queue);
  } catch {
    // Shown again on the next refresh.
  }
}

/** Starts or stops refreshing, as the view is shown or hidden. */
export function watch(visible) {
  clearInterval(timer);
  timer = null;
  if (!visible) return;
  refresh();
  timer = setInterval(refresh, 2000);
}
