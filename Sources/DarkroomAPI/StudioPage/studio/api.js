// The one place the page talks to the server: the API key, JSON calls, problem+json answers, event streams
// and images. Every request stays on the page's own origin.

const keyStorage = "darkroom.apiKey";

/** An answer that was not a success, with the API's problem+json fields (`code`, `detail`, `field`). */
export class Problem extends Error {
  constructor(status, body) {
    super(body?.detail ?? body?.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? "http_error";
    this.field = body?.field ?? null;
  }
}

export const storedKey = () => localStorage.getItem(keyStorage);
export const storeKey = (key) => localStorage.setItem(keyStorage, key);
export const forgetKey = () => localStorage.removeItem(keyStorage);

function headers(extra = {}) {
  const key = storedKey();
  return key ? { ...extra, Authorization: `Bearer ${key}` } : extra;
}

/** Tells the page that the server refused the stored key (revoked, or the server changed). */
function unauthorized() {
  if (storedKey()) window.dispatchEvent(new CustomEvent("darkroom:unauthorized"));
}

async function problemFrom(response) {
  if (response.status === 401) unauthorized();
  const text = await response.text();
  try {
    return new Problem(response.status, JSON.parse(text));
  } catch {
    return new Problem(response.status, { detail: text || response.statusText });
  }
}

/** Sends a JSON request; answers the decoded body, or throws a `Problem`. */
export async function call(method, path, body) {
  const init = { method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  if (!response.ok) throw await problemFrom(response);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * The server-sent events of `path` as `{event, data}` objects, until the stream ends or `signal` aborts.
 * `fetch` rather than `EventSource`, because only `fetch` can send the key in a header.
 */
export async function* events(path, signal) {
  const response = await fetch(path, { headers: headers({ Accept: "text/event-stream" }), signal });
  if (!response.ok) throw await problemFrom(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replaceAll("\r\n", "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length > 0) yield { event, data: data.join("\n") };
    }
  }
}

const objectURLs = new Map();

/**
 * A URL an `<img>` can show for an API image path: the path itself when no key is needed, otherwise the image
 * fetched with the key and kept as a blob URL for the page's lifetime.
 */
export async function imageURL(path) {
  if (!storedKey()) return path;
  if (!objectURLs.has(path)) {
    const response = await fetch(path, { headers: headers() });
    if (!response.ok) throw await problemFrom(response);
    objectURLs.set(path, URL.createObjectURL(await response.blob()));
  }
  return objectURLs.get(path);
}
