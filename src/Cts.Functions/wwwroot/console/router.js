// Hash routes: every view has a URL (#/engines, #/engines/{id}, #/engines/{id}/inspect, #/connections, …), so a
// view can be bookmarked, shared and reloaded; filters live in the hash's query (#/engines?state=Running).
const routes = [];
let onRoute = null;
let silent = false;

export function route(pattern, load) {
  const names = [];
  const regex = new RegExp("^" + pattern.replace(/:(\w+)/g, (_, n) => { names.push(n); return "([^/?]+)"; }) + "$");
  routes.push({ regex, names, load });
}

export function resolve(hash) {
  const raw = (hash || "").replace(/^#/, "") || "/engines";
  const [path, query = ""] = raw.split("?");
  for (const r of routes) {
    const m = path.match(r.regex);
    if (m) {
      const args = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      return { path, args, params: new URLSearchParams(query), load: r.load };
    }
  }
  return null;
}

/** Goes to a URL; `silent` updates the address without re-rendering (a view changing its own filters). */
export function navigate(hash, { replace = false, silent: quiet = false } = {}) {
  if (quiet) {
    history[replace ? "replaceState" : "pushState"](null, "", hash);
    return;
  }
  if (location.hash === hash) { onRoute?.(); } else { location.hash = hash; }
}

export function listen(handler) {
  onRoute = handler;
  window.addEventListener("hashchange", () => { if (!silent) { handler(); } });
}
