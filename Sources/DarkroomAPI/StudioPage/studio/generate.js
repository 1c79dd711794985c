// The Generate form: builds a job request from the fields, submits it, and shows the API's own validation
// messages next to the field each one names.
import { call, Problem } from "./api.js";

const form = document.getElementById("generate-form");
const loraName = "AWPortrait-Z";

/** The number typed in `id`, or `undefined` when the field is empty (the server's default applies). */
function number(id) {
  const value = document.getElementById(id).value.trim();
  return value === "" ? undefined : Number(value);
}

function size() {
  const preset = document.getElementById("size").value;
  if (preset === "custom") return { width: number("width"), height: number("height") };
  const [width, height] = preset.split("x").map(Number);
  return { width, height };
}

function request() {
  const random = document.getElementById("random-seed").checked;
  const strength = number("lora_strength");
  const body = {
    prompt: document.getElementById("prompt").value,
    ...size(),
    steps: number("steps"),
    seed: random ? undefined : number("seed"),
    loras: strength === undefined ? undefined : [{ name: loraName, strength }],
    priority: number("priority"),
    batch_size: number("batch_size"),
  };
  const negative = document.getElementById("negative_prompt").value;
  if (negative.trim() !== "") body.negative_prompt = negative;
  return JSON.parse(JSON.stringify(body)); // drops the undefined fields
}

function clearMessages() {
  for (const message of form.querySelectorAll(".message")) message.textContent = "";
  for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
}

/** Puts the problem's detail next to the field it names (`loras[0].strength` goes to the LoRA field). */
function show(problem) {
  const name = problem.field?.match(/^[a-z_]+/)?.[0];
  const message = (name && document.getElementById(`${name}-error`)) || document.getElementById("form-error");
  message.textContent = problem.message;
  const input = name && (document.getElementById(name) ?? (name === "loras" && document.getElementById("lora_strength")));
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", message.id);
    input.focus();
  }
}

/** Fills the form with a job's settings (for "again"); the seed stays random unless `keepSeed`. */
export function fill(job, { keepSeed = false } = {}) {
  const r = job.request;
  document.getElementById("prompt").value = r.prompt;
  document.getElementById("negative_prompt").value = r.negative_prompt ?? "";
  const preset = `${r.width}x${r.height}`;
  const select = document.getElementById("size");
  select.value = [...select.options].some((option) => option.value === preset) ? preset : "custom";
  document.getElementById("width").value = r.width;
  document.getElementById("height").value = r.height;
  select.dispatchEvent(new Event("change"));
  document.getElementById("steps").value = r.steps;
  const strength = r.loras.find((lora) => lora.name === loraName)?.strength;
  if (strength !== undefined) document.getElementById("lora_strength").value = strength;
  document.getElementById("priority").value = job.priority;
  document.getElementById("batch_size").value = r.batch_size;
  if (keepSeed) useSeed(r.seed);
}

/** Fixes the seed field to `seed` ("reuse this seed"). */
export function useSeed(seed) {
  document.getElementById("seed").value = seed;
  document.getElementById("random-seed").checked = false;
}

/** Submits the form as it stands; calls `onAccepted` with the new job. */
export async function submit(onAccepted) {
  clearMessages();
  try {
    onAccepted(await call("POST", "/v1/jobs", request()));
  } catch (error) {
    show(error instanceof Problem ? error : new Problem(0, { detail: String(error.message ?? error) }));
  }
}

/** Wires the form: the custom size fields, the random seed box, and submitting. */
export function start(onAccepted) {
  const select = document.getElementById("size");
  select.addEventListener("change", () => {
    document.getElementById("custom-size").hidden = select.value !== "custom";
  });
  const seed = document.getElementById("seed");
  seed.addEventListener("input", () => {
    document.getElementById("random-seed").checked = seed.value === "";
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(onAccepted);
  });
}
