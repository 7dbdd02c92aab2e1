// The operator console: signs in, starts the live stream and the store, and shows the view the URL names.
import { h, replace } from "./dom.js";
import * as auth from "./auth.js";
import * as stream from "./stream.js";
import * as store from "./store.js";
import { route, resolve, listen } from "./router.js";

const STALE_MS = 5000;
// While the stream is up every change arrives as it happens and the server speaks every 15 s: only silence longer
// than two of its heartbeats makes the picture old. Without the stream, 5 s is old.
const LIVE_SILENCE_MS = 35000;
const NAV = [
  ["#/engines", "Engines"], ["#/connections", "Connections"], ["#/presets", "Presets"], ["#/settings", "Settings"],
  ["#/backups", "Backups"], ["#/audit", "Audit"], ["#/cluster", "Cluster"],
  ["#/backtests", "Backtests"],
];

route("/engines", () => import("./views/engines.js"));
route("/engines/:id", () => import("./views/engine.js"));
route("/engines/:id/inspect", () => import("./views/inspect.js"));
route("/connections", () => import("./views/connections.js"));
route("/connections/new", () => import("./views/connection-form.js"));
route("/connections/:id", () => import("./views/connection-form.js"));
route("/presets", () => import("./views/presets.js"));
route("/presets/new", () => import("./views/preset-form.js"));
route("/presets/:id", () => import("./views/preset-form.js"));
route("/settings", () => import("./views/settings.js"));
route("/backups", () => import("./views/backups.js"));
route("/audit", () => import("./views/audit.js"));
route("/cluster", () => import("./views/cluster.js"));
route("/backtests", () => import("./views/backtests.js"));
route("/backtests/new", () => import("./views/backtest-form.js"));
route("/backtests/compare", () => import("./views/backtest-compare.js"));
route("/backtests/:id", () => import("./views/backtest.js"));

const main = document.getElementById("view");
const nav = document.getElementById("nav");
const link = document.getElementById("link");
const asof = document.getElementById("asof");
const who = document.getElementById("who");
let cleanup = null;
let generation = 0;

async function show() {
  const target = resolve(location.hash);
  const mine = ++generation;
  try { cleanup?.(); } catch (e) { console.warn("view cleanup failed", e); }
  cleanup = null;
  for (const a of nav.querySelectorAll("a")) {
    const current = target && ("#" + target.path).startsWith(a.getAttribute("href"));
    if (current) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
  }
  if (!target) {
    replace(main, h("h1", {}, "Not found"), h("p", {}, "There is no such view. "), h("a", { href: "#/engines" }, "Go to the engines"));
    return;
  }
  const view = await target.load();
  if (mine !== generation) { return; }
  const container = h("div", { class: "view" });
  replace(main, container);
  cleanup = view.render(container, target.params, target.args) || null;
  const heading = container.querySelector("h1");
  document.title = `${heading?.textContent ?? "Console"} — CTS`;
}

function showLogin(state) {
  const input = h("input", { id: "key", name: "apiKey", type: "password", autocomplete: "off", required: true });
  const error = h("p", { class: "field-error", id: "login-error", role: "alert" }, state?.message ?? "");
  const form = h("form", { id: "login", class: "card login" },
    h("h1", {}, "Sign in to the CTS console"),
    state?.signInUrl ? h("p", {}, h("a", { href: state.signInUrl, class: "button" }, "Sign in with your account")) : null,
    h("label", { for: "key" }, "API key"), input,
    h("small", { class: "hint" }, "Kept for this browser tab only."),
    h("button", { type: "submit" }, "Connect"), error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const result = await auth.useKey(input.value);
    if (result.ok) { begin(); } else { error.textContent = result.message; }
  });
  nav.hidden = true;
  replace(main, form);
  input.focus();
}

function begin() {
  const s = auth.current();
  nav.hidden = false;
  replace(nav, h("ul", {}, NAV.map(([href, label]) => h("li", {}, h("a", { href }, label)))));
  replace(who, `${s.name ?? "signed in"} · ${s.role}`, " ",
    h("button", { type: "button", class: "secondary", id: "signout", onclick: async () => { await auth.signOut(); location.reload(); } }, "Sign out"));
  stream.onStatus((up) => {
    link.className = "link " + (up ? "up" : "down");
    link.textContent = up ? "live" : "connection lost — reconnecting";
  });
  stream.run();
  store.start();
  listen(show);
  show();
  // Says how old the picture is, and flags it once it is older than a few seconds.
  setInterval(() => {
    const heard = stream.heardAt();
    if (!heard) { return; }
    const age = Date.now() - heard;
    const stale = age > (stream.isLive() ? LIVE_SILENCE_MS : STALE_MS);
    asof.textContent = stale ? `data ${Math.round(age / 1000)} s old — not live` : "up to date";
    asof.className = stale ? "stale" : "fresh";
  }, 1000);
}

const state = await auth.start();
if (auth.current()) { begin(); } else { showLogin(state); }

// The skip link focuses the view without touching the hash route.
document.querySelector(".skip")?.addEventListener("click", (e) => { e.preventDefault(); main.focus(); });
