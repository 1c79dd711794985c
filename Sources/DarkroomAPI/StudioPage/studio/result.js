// The result panel: a finished job's image at full size, with its seed, size and time, a download and
// "reuse this seed".
import { imageURL } from "./api.js";
import { duration, secondsBetween, shortPrompt } from "./dom.js";
import { useSeed } from "./generate.js";

const panel = document.getElementById("result");
const image = document.getElementById("result-image");
const caption = document.getElementById("result-caption");
const download = document.getElementById("result-download");
const reuse = document.getElementById("result-reuse-seed");
let seed = null;

/** Shows `job`'s first image (or why it has none). */
export async function show(job) {
  panel.hidden = false;
  const first = job.images[0];
  seed = first?.seed ?? job.request.seed;
  reuse.hidden = seed === null;
  if (!first) {
    image.hidden = true;
    download.hidden = true;
    caption.textContent = `${shortPrompt(job)} · ${job.state}${job.error ? `: ${job.error.message}` : ""}`;
    return;
  }
  const url = await imageURL(first.url);
  image.hidden = false;
  image.width = first.width;
  image.height = first.height;
  image.alt = shortPrompt(job, 200);
  image.src = url;
  download.hidden = false;
  download.href = url;
  download.download = `${job.id}.png`;
  const took = secondsBetween(job.started_at, job.finished_at);
  caption.textContent = [
    `Seed ${first.seed}`, `${first.width} × ${first.height}`, took === null ? null : `took ${duration(took)}`,
    job.images.length > 1 ? `${job.images.length} images` : null,
  ].filter(Boolean).join(" · ");
}

reuse.addEventListener("click", () => {
  if (seed !== null) useSeed(seed);
  document.getElementById("prompt").focus();
});
