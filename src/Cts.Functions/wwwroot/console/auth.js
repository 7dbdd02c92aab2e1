// Who the console acts as. With browser sign-in (GET /api/session answers) the HttpOnly cookie authenticates and
// writes carry the antiforgery header; on a server without it, an API key entered once (kept for this browser tab
// only, in sessionStorage) is sent as X-Api-Key. The rest of the console only calls headers() and role().
const KEY = "cts-api-key";
const RANKS = { viewer: 1, operator: 2, admin: 3 };
let session = null; // { mode: "cookie"|"key", name, role, antiforgeryHeader, antiforgeryToken, signInUrl }

export const current = () => session;
export const role = () => session?.role ?? "viewer";
export const can = (needed) => (RANKS[role()] ?? 0) >= (RANKS[needed] ?? 9);

/** Headers a request needs: the key, or for cookie writes the antiforgery token. */
export function headers(method = "GET") {
  if (!session) { return {}; }
  if (session.mode === "key") { return { "X-Api-Key": session.key }; }
  if (method !== "GET" && method !== "HEAD" && session.antiforgeryToken) {
    return { [session.antiforgeryHeader || "X-CSRF-TOKEN"]: session.antiforgeryToken };
  }
  return {};
}

/**
 * Signs in: the browser's session cookie when the server has one, else the stored key. Resolves to the session, or
 * to null with `signInUrl` set when the server offers a sign-in page, or to null when a key must be entered.
 */
export async function start() {
  const cookie = await fetchSession({});
  if (cookie.ok) {
    session = { mode: "cookie", ...cookie.body };
    return session;
  }
  const key = sessionStorage.getItem(KEY);
  if (key) {
    const resumed = await useKey(key);
    if (resumed.ok) { return session; }
  }
  return { signedOut: true, signInUrl: await hasSignInPage() ? "/signin?returnUrl=" + encodeURIComponent("/" + location.hash) : null };
}

async function hasSignInPage() {
  const r = await fetch("/signin", { headers: { Accept: "text/html" }, redirect: "manual", credentials: "same-origin" }).catch(() => null);
  return !!r && r.status === 200;
}

/** Uses an API key: checks it, learns its role, keeps it for this tab. */
export async function useKey(key) {
  const probe = await fetchSession({ "X-Api-Key": key });
  if (probe.ok) {
    session = { mode: "key", key, ...probe.body };
  } else {
    // No session endpoint on this server: the key is checked by a read, and its role found by what it may do.
    const check = await fetch("/api/engines?top=1", { headers: { "X-Api-Key": key } }).catch(() => null);
    if (!check || !check.ok) { return { ok: false, message: check && (check.status === 401 || check.status === 403) ? "That key is not accepted." : "The server did not answer." }; }
    session = { mode: "key", key, name: "api key", role: await probeRole(key) };
  }
  sessionStorage.setItem(KEY, key);
  return { ok: true };
}

async function probeRole(key) {
  const admin = await fetch("/api/config/backups", { headers: { "X-Api-Key": key } }).catch(() => null);
  if (admin?.ok) { return "admin"; }
  // An action on an id that cannot exist: 403 for a viewer, a 400 validation problem (nothing runs) for an operator.
  const op = await fetch("/api/engines/-/start", { method: "POST", headers: { "X-Api-Key": key } }).catch(() => null);
  return op && op.status !== 403 && op.status !== 401 ? "operator" : "viewer";
}

async function fetchSession(extra) {
  try {
    const r = await fetch("/api/session", { headers: { Accept: "application/json", ...extra }, credentials: "same-origin" });
    const hasSessionRoute = r.status !== 404 && r.status !== 405;
    if (!r.ok) { return { ok: false, status: r.status, hasSessionRoute }; }
    const body = await r.json();
    return body && body.role ? { ok: true, status: r.status, body } : { ok: false, status: r.status, hasSessionRoute: false };
  } catch {
    return { ok: false, status: 0, hasSessionRoute: false };
  }
}

/** Signs out: the cookie session through POST /signout, the key by forgetting it. */
export async function signOut() {
  const was = session;
  session = null;
  sessionStorage.removeItem(KEY);
  if (was?.mode === "cookie") {
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/signout";
    document.body.append(form);
    form.submit();
  }
}
