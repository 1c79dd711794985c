// Darkroom Studio's entry point: asks for an API key when the server wants one, then starts the Generate form,
// Now, History and the Queue view.
import { call, forgetKey, storeKey, storedKey } from "./api.js";
import * as generate from "./generate.js";
import * as history from "./history.js";
import * as now from "./now.js";
import * as queue from "./queue.js";
import * as result from "./result.js";

const keyPanel = document.getElementById("key-panel");
const studioView = document.getElementById("studio-view");
const queueView = document.getElementById("queue-view");
const showStudio = document.getElementById("show-studio");
const showQueue = document.getElementById("show-queue");
const forget = document.getElementById("forget-key");
/** The jobs this page submitted: the first of them to succeed is shown in the result panel. */
const submitted = new Set();

function show(view) {
  studioView.hidden = view !== "studio";
  queueView.hidden = view !== "queue";
  showStudio.setAttribute("aria-pressed", String(view === "studio"));
  showQueue.setAttribute("aria-pressed", String(view === "queue"));
  queue.watch(view === "queue");
}

function askForKey(message = "") {
  keyPanel.hidden = false;
  studioView.hidden = true;
  queueView.hidden = true;
  document.getElementById("key-error").textContent = message;
  document.getElementById("api-key").focus();
}

function accepted(job) {
  // On a loaded machine the job's end can come by the event stream before the submit's answer does.
  if (now.hasEnded(job.id)) {
    call("GET", `/v1/jobs/${job.id}`).then(result.show, () => {});
    return;
  }
  submitted.add(job.id);
  now.update(job);
}

function finished(job) {
  history.prepend(job);
  if (submitted.delete(job.id)) result.show(job);
}

async function startStudio() {
  keyPanel.hidden = true;
  forget.hidden = storedKey() === null;
  show("studio");
  generate.start(accepted);
  await Promise.all([now.start(finished), history.start(result.show, accepted)]);
}

/** Whether the server answers this page (with the stored key, if any). */
async function signedIn() {
  try {
    await call("GET", "/v1/queue");
    return true;
  } catch (error) {
    if (error.status === 401) return false;
    throw error;
  }
}

showStudio.addEventListener("click", () => show("studio"));
showQueue.addEventListener("click", () => show("queue"));
forget.addEventListener("click", () => {
  forgetKey();
  location.reload();
});
document.getElementById("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  storeKey(document.getElementById("api-key").value.trim());
  if (await signedIn()) location.reload();
  else askForKey("The server did not accept this key.");
});
window.addEventListener("darkroom:unauthorized", () => askForKey("Your key was not accepted; enter another."));

if (await signedIn()) await startStudio();
else askForKey(storedKey() ? "Your key was not accepted; enter another." : "");
