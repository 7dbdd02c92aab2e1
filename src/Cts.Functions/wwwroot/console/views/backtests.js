// Backtests: every backtest with its status and a progress bar that moves with the `backtest-progress` events, cancel
// (operators), and a selection to compare side by side.
import { h, replace, reconcile } from "../dom.js";
import { get, call, enc } from "../api.js";
import { can } from "../auth.js";
import { onEvent } from "../stream.js";
import { navigate } from "../router.js";
import * as fmt from "../format.js";
import { badge, problemBox, confirmDialog, td, pnlCell } from "../ui.js";
import { currencyOf, presetName, progressBar, isActive } from "./backtest-metrics.js";

// A backtest that is running reports every second; a reload now and then repairs a missed event.
const RELOAD_MS = 15000;

/** Cancels (when it runs) or deletes a backtest after the console's confirmation; resolves to { ok, problem }. */
export async function removeBacktest(backtest) {
  const active = isActive(backtest.status);
  const confirmed = await confirmDialog({
    title: `${active ? "Cancel" : "Delete"} backtest ${backtest.id}?`,
    message: active
      ? "It stops where it is and is removed with the trades it made so far. This cannot be undone."
      : "It is removed with its report, trades and equity curve. This cannot be undone.",
    confirmLabel: active ? "Cancel backtest" : "Delete backtest",
    danger: true,
  });
  if (!confirmed) { return { ok: false }; }
  const r = await call("DELETE", `/api/backtests/${enc(backtest.id)}`);
  return r.ok || r.status === 404 ? { ok: true } : { ok: false, problem: r.problem };
}

/** A word on why a viewer sees no start or cancel. */
export function readOnlyNote() {
  return h("p", { class: "notice", id: "read-only" }, "Read-only: your role (viewer) cannot start or cancel backtests; an operator can.");
}

export function render(root) {
  const operator = can("operator");
  const selected = new Set();
  const errors = new Map(); // id → problem of a refused cancel
  const removed = new Set(); // deleted from here: a read or an event that crossed the delete does not bring it back
  let backtests = [];
  let loaded = false;
  let problem = null;
  const compare = h("button", { type: "button", id: "compare", class: "secondary", disabled: true,
    onclick: () => navigate(`#/backtests/compare?ids=${[...selected].map(enc).join(",")}`) }, "Compare selected");
  const summary = h("p", { class: "summary", id: "backtests-summary", "aria-live": "polite" });
  const notice = h("div");
  const rowsBody = h("tbody");
  const grid = h("div", { class: "table-wrap" }, h("table", { class: "cards backtests" },
    h("thead", {}, h("tr", {}, ["Compare", "Backtest", "Symbols", "Window", "Source", "Status", "Progress", "Trades", "Profit", "Created", ""]
      .map((x) => h("th", { scope: "col" }, x)))), rowsBody));
  replace(root,
    h("div", { class: "view-head" }, h("h1", {}, "Backtests"),
      operator ? h("a", { href: "#/backtests/new", class: "button", id: "new-backtest" }, "New backtest") : null),
    operator ? null : readOnlyNote(),
    h("div", { class: "toolbar" }, compare, h("small", { class: "hint" }, "Tick two or more to compare their figures and equity curves.")),
    summary, notice, grid);

  // Rows are rebuilt only when what they show changed, so focus and ticks stay where they were.
  const cache = new Map();
  function rowFor(b) {
    const sig = JSON.stringify([b, errors.get(b.id) ?? null, selected.has(b.id)]);
    const hit = cache.get(b.id);
    if (hit && hit.sig === sig) { return hit.el; }
    const el = row(b);
    cache.set(b.id, { sig, el });
    return el;
  }

  function row(b) {
    const r = b.results;
    const currency = currencyOf(b);
    const failed = errors.get(b.id);
    const tick = h("input", { type: "checkbox", name: "compare", value: b.id, checked: selected.has(b.id), dataset: { compare: b.id },
      "aria-label": `Compare ${b.id}`, onchange: (e) => { if (e.target.checked) { selected.add(b.id); } else { selected.delete(b.id); } draw(); } });
    const remove = operator ? h("button", { type: "button", class: "danger", dataset: { cancel: b.id }, "aria-label": `${isActive(b.status) ? "Cancel" : "Delete"} ${b.id}`,
      onclick: async (e) => {
        e.currentTarget.disabled = true;
        const done = await removeBacktest(b);
        if (done.ok) { removed.add(b.id); backtests = backtests.filter((x) => x.id !== b.id); selected.delete(b.id); errors.delete(b.id); }
        else if (done.problem) { errors.set(b.id, done.problem); }
        draw();
      } }, isActive(b.status) ? "Cancel" : "Delete") : null;
    return h("tr", { dataset: { backtest: b.id, status: b.status } },
      td("Compare", tick),
      td("Backtest", h("a", { href: `#/backtests/${enc(b.id)}`, class: "preset-name" }, presetName(b)), h("div", { class: "muted" }, b.id)),
      td("Symbols", b.request.symbols.join(", ")),
      td("Window", fmt.time(b.request.from), h("div", { class: "muted" }, "to ", fmt.time(b.request.to))),
      td("Source", b.request.dataSource),
      td("Status", badge(b.status), b.error ? h("div", { class: "neg backtest-error" }, b.error) : null),
      td("Progress", progressBar(b), isActive(b.status) && b.simulatedTime ? h("div", { class: "muted" }, "at ", fmt.time(b.simulatedTime)) : null),
      td("Trades", String(b.trades)),
      td("Profit", r ? pnlCell(r.totalProfit, r.totalProfitPct, currency) : "–"),
      td("Created", fmt.time(b.createdAt), b.createdBy ? h("div", { class: "muted" }, "by ", b.createdBy) : null),
      td("", remove, failed ? problemBox(failed, { onDismiss: () => { errors.delete(b.id); draw(); } }) : null));
  }

  function draw() {
    for (const id of [...selected]) { if (!backtests.some((b) => b.id === id)) { selected.delete(id); } }
    compare.disabled = selected.size < 2;
    compare.textContent = selected.size ? `Compare selected (${selected.size})` : "Compare selected";
    const running = backtests.filter((b) => isActive(b.status)).length;
    summary.textContent = loaded ? `${backtests.length} backtest${backtests.length === 1 ? "" : "s"}${running ? `, ${running} running` : ""}` : "Loading…";
    replace(notice, problem ? problemBox(problem, { onRetry: load }) : null,
      loaded && !backtests.length && !problem ? h("p", { class: "empty" }, operator ? "No backtests yet: start one from a preset with New backtest." : "No backtests yet.") : null);
    reconcile(rowsBody, backtests.map(rowFor));
    for (const id of [...cache.keys()]) { if (!backtests.some((b) => b.id === id)) { cache.delete(id); } }
  }

  async function load() {
    const r = await get("/api/backtests");
    if (!alive) { return; }
    loaded = true;
    problem = r.ok ? null : r.problem;
    if (r.ok) { backtests = r.data.backtests.filter((b) => !removed.has(b.id)); }
    draw();
  }

  let alive = true;
  const off = onEvent((type, event) => {
    if (type !== "backtest-progress") { return; }
    const p = event.data;
    if (removed.has(p.id)) { return; }
    const known = backtests.find((b) => b.id === p.id);
    if (!known || p.status === "completed") { load(); return; } // a new one, or its figures are ready
    Object.assign(known, { status: p.status, progress: p.progress, simulatedTime: p.simulatedTime, trades: p.trades, error: p.error });
    draw();
  });
  const timer = setInterval(() => { if (backtests.some((b) => isActive(b.status))) { load(); } }, RELOAD_MS);
  draw();
  load();
  return () => { alive = false; off(); clearInterval(timer); };
}
