// The engines view: one row per engine, filtered by state and text, sorted, paged; live from the event stream.
import { h, replace, keepFocus, reconcile } from "../dom.js";
import * as fmt from "../format.js";
import * as store from "../store.js";
import { badge, sparkline, td, pnlCell, problemBox } from "../ui.js";
import { actionBar, actionError, actionErrors, runAction } from "../actions.js";
import { can } from "../auth.js";
import { navigate } from "../router.js";

const STATES = ["Idle", "Enabled", "Initializing", "Running", "Paused", "Stopping", "Stopped", "Error"];
const SORTS = {
  id: ["Connection id", (s) => s.connectionId],
  name: ["Name", (s, c) => (c?.name ?? s.connectionId).toLowerCase()],
  state: ["State", (s) => s.state],
  pnl: ["Total PnL", (s) => s.realizedPnl + s.unrealizedPnl],
  uptime: ["Uptime", (s) => (s.state === "Running" || s.state === "Paused") && s.since ? -new Date(s.since).getTime() : -Infinity],
  open: ["Open positions", (s) => s.openPositions],
  errors: ["Failures", (s) => Object.values(s.processors || {}).reduce((n, p) => n + p.failures, 0)],
};
const SIZES = [25, 50, 100, 250];

/** The capital an engine can put to work (size × max positions), what its PnL % is measured against. */
export function allocation(connection) {
  const preset = store.presets.get(connection?.presetId ?? "default") ?? store.presets.get("default");
  return preset ? preset.positionSizeQuote * preset.maxOpenPositions : null;
}

export function currencyOf(connection) {
  return fmt.quoteOf(connection?.symbols?.[0]) || "USDT";
}

export function render(root, params) {
  const q = {
    state: params.get("state") || "",
    text: params.get("q") || "",
    sort: SORTS[params.get("sort")] ? params.get("sort") : "id",
    desc: params.get("dir") === "desc",
    page: Math.max(1, Number(params.get("page")) || 1),
    size: SIZES.includes(Number(params.get("size"))) ? Number(params.get("size")) : 50,
  };
  const setQuery = (change) => {
    Object.assign(q, change);
    const p = new URLSearchParams();
    if (q.state) { p.set("state", q.state); }
    if (q.text) { p.set("q", q.text); }
    if (q.sort !== "id") { p.set("sort", q.sort); }
    if (q.desc) { p.set("dir", "desc"); }
    if (q.page > 1) { p.set("page", q.page); }
    if (q.size !== 50) { p.set("size", q.size); }
    navigate("#/engines" + (p.toString() ? "?" + p : ""), { replace: true, silent: true });
    draw();
  };

  const stateSelect = h("select", { id: "filter-state", name: "state", onchange: (e) => setQuery({ state: e.target.value, page: 1 }) },
    h("option", { value: "" }, "All states"), STATES.map((s) => h("option", { value: s, selected: s === q.state }, s)));
  const textInput = h("input", { id: "filter-text", type: "search", name: "q", value: q.text, placeholder: "id, name, exchange, symbol, preset", autocomplete: "off",
    oninput: (e) => setQuery({ text: e.target.value, page: 1 }) });
  const sortSelect = h("select", { id: "sort", name: "sort", onchange: (e) => setQuery({ sort: e.target.value }) },
    Object.entries(SORTS).map(([k, [label]]) => h("option", { value: k, selected: k === q.sort }, label)));
  const dirButton = h("button", { type: "button", class: "secondary", id: "sort-dir", onclick: () => setQuery({ desc: !q.desc }) });
  const sizeSelect = h("select", { id: "page-size", name: "size", onchange: (e) => setQuery({ size: Number(e.target.value), page: 1 }) },
    SIZES.map((n) => h("option", { value: n, selected: n === q.size }, `${n} a page`)));
  const summary = h("p", { class: "summary", id: "engines-summary", "aria-live": "polite" });
  const body = h("div", { id: "engines-table" });
  const notice = h("div");
  const rowsBody = h("tbody");
  const grid = h("div", { class: "table-wrap" }, h("table", { class: "engines" },
    h("thead", {}, h("tr", {}, ["State", "Engine", "Market", "Preset", "Uptime", "Processors (cycle latency)", "PnL realized / unrealized", "Open", "Actions"]
      .map((x) => h("th", { scope: "col" }, x)))), rowsBody));
  replace(body, notice, grid);
  // Rows are rebuilt only when what they show changed; the others stay the same DOM nodes (focus stays put).
  const cache = new Map();
  const rowFor = (s, c) => {
    const moving = s.state === "Running" || s.state === "Paused" || s.retry?.nextAttemptAt ? Math.floor(Date.now() / 5000) : 0;
    const sig = JSON.stringify([s, c ?? null, Object.keys(s.processors || {}).map((p) => store.latencyOf(s.connectionId, p).length),
      actionErrors.get(s.connectionId)?.problem ?? null, moving, store.presets.size]);
    const hit = cache.get(s.connectionId);
    if (hit && hit.sig === sig) { return hit.el; }
    const el = row(s, c);
    cache.set(s.connectionId, { sig, el });
    return el;
  };
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });

  replace(root,
    h("div", { class: "view-head" }, h("h1", {}, "Engines"),
      can("admin") ? h("a", { href: "#/connections/new", class: "button" }, "New connection") : null),
    h("form", { class: "toolbar", role: "search", onsubmit: (e) => e.preventDefault() },
      h("label", { for: "filter-state" }, "State"), stateSelect,
      h("label", { for: "filter-text" }, "Search"), textInput,
      h("label", { for: "sort" }, "Sort by"), sortSelect, dirButton,
      h("label", { for: "page-size", class: "sr-only" }, "Page size"), sizeSelect),
    summary, body, pager);

  function matches(s, c, text) {
    if (q.state && s.state !== q.state) { return false; }
    return !text || haystack(s, c).includes(text);
  }

  function draw() {
    dirButton.textContent = q.desc ? "Descending" : "Ascending";
    dirButton.setAttribute("aria-label", `Sort direction: ${q.desc ? "descending" : "ascending"}`);
    const text = q.text.trim().toLowerCase();
    const [, key] = SORTS[q.sort];
    const rows = [];
    for (const s of store.engines.values()) {
      const c = store.connections.get(s.connectionId);
      if (matches(s, c, text)) { rows.push([key(s, c), s, c]); }
    }
    // Ties by id, compared as strings (ids are lowercase ASCII): localeCompare would cost more than the rest of the sort at 10,000.
    const byId = (a, b) => (a.connectionId < b.connectionId ? -1 : a.connectionId > b.connectionId ? 1 : 0);
    rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : byId(a[1], b[1])) * (q.desc ? -1 : 1));
    const pages = Math.max(1, Math.ceil(rows.length / q.size));
    if (q.page > pages) { q.page = pages; }
    const shown = rows.slice((q.page - 1) * q.size, q.page * q.size);
    const load = store.loadState();
    summary.textContent = `${fmt.count(store.engines.size)} engines` + (rows.length !== store.engines.size ? `, ${fmt.count(rows.length)} match` : "")
      + (load.done ? "" : ` — loading (${fmt.count(load.engines)} so far)`);

    replace(notice,
      load.problem && !store.engines.size ? problemBox(load.problem, { onRetry: () => store.loadAll() }) : null,
      shown.length === 0 && load.done ? h("p", { class: "empty" }, store.engines.size ? "No engine matches these filters." : "No engines yet: create a connection.") : null);
    grid.hidden = shown.length === 0;
    keepFocus(rowsBody, () => reconcile(rowsBody, shown.map(([, s, c]) => rowFor(s, c))));
    for (const id of cache.keys()) { if (!store.engines.has(id)) { cache.delete(id); } }
    keepFocus(pager, () => replace(pager,
      h("button", { type: "button", class: "secondary", disabled: q.page <= 1, onclick: () => setQuery({ page: q.page - 1 }) }, "Previous"),
      h("span", { "aria-current": "page" }, ` Page ${q.page} of ${pages} `),
      h("button", { type: "button", class: "secondary", disabled: q.page >= pages, onclick: () => setQuery({ page: q.page + 1 }) }, "Next")));
  }

  draw();
  const off = store.onChange(draw);
  const tick = setInterval(draw, 5000); // uptimes and retry countdowns move without events
  return () => { off(); clearInterval(tick); };
}

// What the text filter searches, lowercased once per connection document (the store replaces a document when it
// changes): typing into the filter scans 10,000 strings instead of building and lowercasing 60,000.
const haystacks = new WeakMap();
function haystack(s, c) {
  if (!c) { return s.connectionId; }
  let text = haystacks.get(c);
  if (text === undefined) {
    text = [s.connectionId, c.name, c.exchange, c.presetId ?? "default", ...(c.symbols ?? [])].filter(Boolean).join("\n").toLowerCase();
    haystacks.set(c, text);
  }
  return text;
}

/** One engine's row. */
export function row(s, c) {
  const currency = currencyOf(c);
  const capital = allocation(c);
  const total = s.realizedPnl + s.unrealizedPnl;
  const link = `#/engines/${encodeURIComponent(s.connectionId)}`;
  return h("tr", { dataset: { engine: s.connectionId } },
    td("State", badge(s.state), stateNotes(s)),
    td("Engine", h("a", { href: link }, c?.name ?? s.connectionId), h("div", { class: "muted" }, s.connectionId)),
    td("Market", c ? `${c.exchange}${c.testnet ? " (testnet)" : ""}` : "–", h("div", { class: "muted" }, (c?.symbols ?? []).join(", "))),
    td("Preset", c?.presetId ?? "default"),
    td("Uptime", (s.state === "Running" || s.state === "Paused") && s.since ? fmt.since(s.since) : "–",
      s.updatedAt ? h("div", { class: "muted" }, "updated " + fmt.time(s.updatedAt)) : null),
    td("Processors", processors(s)),
    td("PnL", pnlCell(s.realizedPnl, capital ? (s.realizedPnl / capital) * 100 : null, currency), " / ",
      pnlCell(s.unrealizedPnl, capital ? (s.unrealizedPnl / capital) * 100 : null, currency),
      h("div", { class: "muted" }, "total ", fmt.money(total, currency, { signed: true }), capital ? ` (${fmt.pct((total / capital) * 100)} of ${fmt.money(capital, currency)})` : "")),
    td("Open", String(s.openPositions)),
    td("Actions", actionBar(s), actionError(s.connectionId)));
}

function processors(s) {
  return h("ul", { class: "processors" }, Object.entries(s.processors || {}).map(([name, p]) =>
    h("li", { class: p.consecutiveFailures > 0 ? "failing" : "" },
      h("span", { class: "pname" }, name),
      sparkline(store.latencyOf(s.connectionId, name), { label: `${name} cycle latency, last ${fmt.ms(p.lastLatencyMs)}` }),
      h("span", { class: "pstats" }, `${fmt.ms(p.p95LatencyMs)} p95 · ${p.runs} runs · ${p.failures} failed`))));
}

/** Restart required, the last error with its retry schedule and a Retry, degraded storage. */
export function stateNotes(s) {
  const notes = [];
  if (s.restartRequired) {
    notes.push(h("div", { class: "banner" }, "Restart required: ", s.restartReason ?? "configuration changed",
      can("operator") && s.allowedActions.includes("restart")
        ? h("button", { type: "button", dataset: { engine: s.connectionId, action: "restart-required" }, onclick: () => runAction(s.connectionId, "restart", { status: s }) }, "Restart")
        : null));
  }
  if (s.lastError) {
    const retry = s.retry
      ? (s.retry.nextAttemptAt
        ? `Automatic retry ${s.retry.attempt} of ${s.retry.maxAttempts} at ${fmt.time(s.retry.nextAttemptAt)} (${fmt.relative(s.retry.nextAttemptAt)}).`
        : `Gave up after ${s.retry.attempt} automatic retries.`)
      : null;
    notes.push(h("div", { class: "problem engine-error", role: "status" },
      h("strong", {}, s.lastError.kind), ": ", s.lastError.message,
      h("div", { class: "muted" }, fmt.time(s.lastError.at)),
      retry ? h("div", {}, retry) : null,
      s.escalated ? h("div", {}, "Escalated: check the exchange, the credentials and the connection, then retry.") : null,
      can("operator") && s.allowedActions.includes("start")
        ? h("button", { type: "button", class: "retry", dataset: { engine: s.connectionId, action: "retry" }, onclick: () => runAction(s.connectionId, "start", { status: s }) }, "Retry now")
        : null));
  }
  if (s.degraded) { notes.push(h("div", { class: "problem" }, "Storage unavailable: no new positions until it returns.")); }
  return notes;
}

