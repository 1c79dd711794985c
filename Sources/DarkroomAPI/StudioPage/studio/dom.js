// Small helpers for building the page's elements without HTML strings (so nothing a user typed is parsed).

/** An element with attributes (`on…` functions become listeners) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

/** "12 s", "3 min 5 s" or "1 h 2 min", for a wait or a duration. */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A job's prompt, shortened for a list. */
export function shortPrompt(job, length = 80) {
  const prompt = job.request.prompt;
  return prompt.length > length ? `${prompt.slice(0, length - 1)}…` : prompt;
}

/** Seconds between two ISO dates, or `null` if either is missing. */
export function secondsBetween(from, to) {
  return from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : null;
}
