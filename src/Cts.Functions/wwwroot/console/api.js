// The public API, as the console calls it: JSON in and out, problems (RFC 9457) as data, never thrown at the user.
import { headers } from "./auth.js";

/**
 * call("POST", "/api/engines/x/stop", { body, ifMatch, contentType, headers }) → { ok, status, data, etag, problem }.
 * A network failure is { ok: false, status: 0, problem: { title, detail } }.
 */
export async function call(method, path, { body, ifMatch, ifNoneMatch, contentType = "application/json", signal, headers: extra } = {}) {
  const h = { Accept: "application/json, application/problem+json", ...headers(method), ...extra };
  if (body !== undefined) { h["Content-Type"] = contentType; }
  if (ifMatch) { h["If-Match"] = ifMatch; }
  if (ifNoneMatch) { h["If-None-Match"] = ifNoneMatch; }
  let response;
  try {
    response = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin", signal });
  } catch (e) {
    if (e.name === "AbortError") { throw e; }
    return { ok: false, status: 0, problem: { title: "The server did not answer", detail: "Check the connection; the console retries reads by itself." } };
  }
  const etag = response.headers.get("ETag");
  const type = response.headers.get("Content-Type") || "";
  let data = null;
  if (response.status !== 204 && response.status !== 304 && type.includes("json")) {
    data = await response.json().catch(() => null);
  }
  if (response.ok || response.status === 304) {
    return { ok: true, status: response.status, data, etag };
  }
  const problem = data && typeof data === "object" ? data : { title: response.statusText || "Request failed" };
  problem.status ??= response.status;
  problem.retryAfter = response.headers.get("Retry-After");
  return { ok: false, status: response.status, data, etag, problem, routeMissing: routeMissing(response.status, data) };
}

/** A 405, or a 404 that is not one of the API's own problems (theirs are typed https://cts.dev/…): no such route (yet). */
function routeMissing(status, data) {
  return status === 405 || (status === 404 && !String(data?.type ?? "").startsWith("https://cts.dev/"));
}

export const get = (path, options) => call("GET", path, options);
export const post = (path, body, options) => call("POST", path, { ...options, body });

/**
 * Every item of a paged listing (`top` + `continuationToken`), page by page; onPage sees each page as it comes. With a
 * `cache` (a Map kept by the caller) each page is asked If-None-Match its last ETag, and a 304 reuses the page held.
 */
export async function getAll(path, itemsKey, { top = 1000, onPage, cache } = {}) {
  const items = [];
  let token = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const key = token ?? "";
    const held = cache?.get(key);
    const r = await get(`${path}${sep}top=${top}${token ? "&continuationToken=" + encodeURIComponent(token) : ""}`, { ifNoneMatch: held?.etag });
    if (!r.ok) { return { ok: false, problem: r.problem, status: r.status, items }; }
    const data = r.status === 304 && held ? held.data : r.data;
    if (cache && r.status !== 304) { if (r.etag) { cache.set(key, { etag: r.etag, data }); } else { cache.delete(key); } }
    items.push(...data[itemsKey]);
    onPage?.(data[itemsKey], items.length, r.status === 304);
    token = data.continuationToken;
  } while (token);
  return { ok: true, items };
}

export const enc = encodeURIComponent;
