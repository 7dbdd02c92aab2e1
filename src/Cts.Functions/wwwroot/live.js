// The live trading page: status-all for the first picture, then the server-sent event stream for every change,
// with a status-all refresh every 5 s as a safety net. Nothing older than a few seconds is shown without saying so.
//
// The page runs on the browser session (the HttpOnly cookie from /signin): it never sees or stores an API key. Its
// writes send the antiforgery token from GET /api/session. Every value from the server is put into the page as text
// (DOM nodes, textContent, dataset); no markup is ever built from data.
"use strict";
const ACTIONS = ["start", "pause", "resume", "stop", "restart"];
const STALE_MS = 5000;
const engines = new Map();      // connectionId → status document
const positions = new Map();    // position id → position
const connections = new Map();  // connection id → connection (name, symbols, presetId)
const presets = new Map();      // preset id → preset (name)
let session = null;             // GET /api/session: name, role, antiforgery token and header
let lastEventId = null;
let lastFresh = 0;              // when the page last heard from the server
let etag = null;

const $ = (id) => document.getElementById(id);

// An element with properties (className, dataset, disabled, …) and children; strings become text nodes.
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "dataset") { Object.assign(node.dataset, value); }
    else { node[name] = value; }
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false).map((c) => typeof c === "string" ? c : c instanceof Node ? c : String(c)));
  return node;
}

const text = (value, fallback = "–") => value === null || value === undefined || value === "" ? fallback : String(value);
const fixed = (value) => typeof value === "number" ? value.toFixed(2) : text(value);
const time = (value) => { const d = value ? new Date(value) : null; return d && !isNaN(d) ? d.toLocaleTimeString() : text(value); };

function toSignIn(reason) {
  const back = window.location.pathname + window.location.search;
  window.location.assign("/signin?returnUrl=" + encodeURIComponent(back) + (reason ? "&error=" + reason : ""));
}

async function api(path, init = {}) {
  const headers = { ...(init.headers || {}) };
  const method = (init.method || "GET").toUpperCase();
  if (method !== "GET" && method !== "HEAD" && session) { headers[session.antiforgeryHeader] = session.antiforgeryToken; }
  const response = await fetch(path, { ...init, headers, credentials: "same-origin" });
  if (response.status === 401) { toSignIn("expired"); throw new Error("signed out"); }
  return response;
}

function setLink(up, label) {
  const link = $("link");
  link.className = "link " + (up ? "up" : "down");
  link.textContent = label;
}

async function loadSession() {
  const response = await api("/api/session");
  if (!response.ok) { throw new Error("session " + response.status); }
  session = await response.json();
  $("who").textContent = `${session.name} (${session.role})`;
}

// Names, symbols and presets of the connections, for the engine rows; reloaded when connections come and go.
async function loadConfiguration() {
  const [list, presetList] = await Promise.all([api("/api/connections?top=1000"), api("/api/presets")]);
  if (list.ok) {
    connections.clear();
    (await list.json()).connections.forEach((c) => connections.set(c.id, c));
  }
  if (presetList.ok) {
    presets.clear();
    (await presetList.json()).presets.forEach((p) => presets.set(p.id, p));
  }
  renderEngines();
}

async function refresh() {
  const response = await api("/api/engines?top=1000", etag ? { headers: { "If-None-Match": etag } } : {});
  if (response.status === 200) {
    etag = response.headers.get("ETag");
    const body = await response.json();
    engines.clear();
    body.engines.forEach((e) => engines.set(e.connectionId, e));
    renderEngines();
  }
  if (response.ok || response.status === 304) { lastFresh = Date.now(); }
  const open = await api("/api/positions?top=200");
  if (open.ok) {
    positions.clear();
    (await open.json()).positions.forEach((p) => positions.set(p.id, p));
    renderPositions();
  }
}

async function stream() {
  for (;;) {
    try {
      const headers = {};
      if (lastEventId) { headers["Last-Event-ID"] = lastEventId; }
      const response = await api("/api/events", { headers });
      if (!response.ok) { throw new Error("stream " + response.status); }
      setLink(true, "live");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) { break; }
        lastFresh = Date.now();
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          handle(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) { /* reconnect below */ }
    setLink(false, "connection lost — reconnecting");
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function handle(block) {
  let id = null, type = null, data = null;
  for (const line of block.split("\n")) {
    if (line.startsWith("id: ")) { id = line.slice(4); }
    else if (line.startsWith("event: ")) { type = line.slice(7); }
    else if (line.startsWith("data: ")) { try { data = JSON.parse(line.slice(6)); } catch (e) { data = null; } }
  }
  if (id) { lastEventId = id; }
  if (!type || !data) { return; }
  // The stream could not replay everything since our last event: reload status-all (the replay follows).
  if (type === "reset") { etag = null; refresh(); return; }
  if (type === "engine-state" || type === "engine-health") {
    engines.set(data.connectionId, data.data);
    renderEngines();
  } else if (type === "position-opened" || type === "position-closed") {
    positions.set(data.data.id, data.data);
    renderPositions();
  } else if (type === "connection-created" || type === "connection-deleted") {
    loadConfiguration().catch(() => {});
  }
}

function actionButton(engine, action, enabled) {
  return el("button", { type: "button", disabled: !enabled, dataset: { engine, action } }, action[0].toUpperCase() + action.slice(1));
}

function processorLines(status) {
  return Object.entries(status.processors || {}).map(([name, h]) =>
    el("div", { className: "processor" }, `${name}: ${text(h.runs, "0")} · ${text(h.failures, "0")} · ${text(h.p95LatencyMs)}`,
      h.lastError ? el("span", { className: "error" }, " " + text(h.lastError)) : null));
}

function engineRow(s) {
  const connection = connections.get(s.connectionId);
  const preset = connection ? presets.get(connection.presetId || "default") : null;
  const allowed = Array.isArray(s.allowedActions) ? s.allowedActions : [];
  const stateCell = el("td", {}, el("span", { className: "badge " + text(s.state, ""), dataset: { state: text(s.state, "") } }, text(s.state)));
  if (s.restartRequired) {
    stateCell.append(el("div", { className: "banner" }, "Restart required: ", el("span", { className: "reason" }, text(s.restartReason)), " ",
      actionButton(s.connectionId, "restart", true)));
  }
  if (s.lastError) {
    const retry = s.retry ? (s.retry.nextAttemptAt
      ? `retry ${text(s.retry.attempt)}/${text(s.retry.maxAttempts)} at ${time(s.retry.nextAttemptAt)}`
      : `gave up after ${text(s.retry.attempt)} retries`) : "";
    stateCell.append(el("div", { className: "problem" },
      el("span", { className: "error" }, `${text(s.lastError.kind)}: ${text(s.lastError.message)}`), el("br"), retry,
      s.escalated ? [el("br"), "Escalated: check the exchange, the credentials and the connection, then retry."] : null,
      " ", el("button", { type: "button", dataset: { engine: s.connectionId, action: "start" } }, "Retry")));
  }
  if (s.degraded) {
    stateCell.append(el("div", { className: "problem" }, "Storage unavailable: no new positions until it returns."));
  }
  return el("tr", { dataset: { engine: s.connectionId } },
    el("td", {}, el("div", { className: "name" }, text(connection ? connection.name : null, s.connectionId)),
      el("div", { className: "id" }, text(s.connectionId))),
    el("td", { className: "symbols" }, connection && Array.isArray(connection.symbols) ? connection.symbols.map(String).join(", ") : "–"),
    el("td", { className: "preset" }, text(preset ? preset.name : connection ? connection.presetId || "default" : null)),
    stateCell,
    el("td", {}, time(s.updatedAt)),
    el("td", {}, processorLines(s)),
    el("td", {}, `${fixed(s.realizedPnl)} / ${fixed(s.unrealizedPnl)}`),
    el("td", {}, text(s.openPositions, "0")),
    el("td", {}, ACTIONS.map((a) => actionButton(s.connectionId, a, allowed.includes(a)))));
}

function renderEngines() {
  const rows = [...engines.values()].sort((a, b) => text(a.connectionId).localeCompare(text(b.connectionId))).map(engineRow);
  $("engines").tBodies[0].replaceChildren(...rows);
}

function positionRow(p) {
  return el("tr", { dataset: { position: text(p.id) } },
    el("td", {}, text(p.connectionId)), el("td", {}, text(p.symbol)),
    el("td", {}, text(p.status), p.exitReason ? ` (${text(p.exitReason)})` : ""),
    el("td", {}, text(p.quantity)), el("td", {}, text(p.entryPrice)), el("td", {}, text(p.exitPrice)),
    el("td", {}, text(p.realizedPnl)), el("td", {}, time(p.openedAt)));
}

function renderPositions() {
  const order = (p) => text(p.closedAt ?? p.openedAt, "");
  const rows = [...positions.values()].sort((a, b) => order(b).localeCompare(order(a))).map(positionRow);
  $("positions").tBodies[0].replaceChildren(...rows);
}

document.addEventListener("click", async (e) => {
  const button = e.target.closest("button[data-action]");
  if (!button) { return; }
  button.disabled = true;
  const response = await api(`/api/engines/${encodeURIComponent(button.dataset.engine)}/${encodeURIComponent(button.dataset.action)}`, { method: "POST" });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    $("notice").textContent = `${button.dataset.action} refused: ${text(problem.detail, String(response.status))}`;
  } else {
    $("notice").textContent = "";
  }
  await refresh();
});

$("signout").addEventListener("click", async () => {
  await api("/signout", { method: "POST" }).catch(() => {});
  window.location.assign("/signin");
});

// Says how old the picture is, and flags it once it is older than a few seconds.
setInterval(() => {
  if (!lastFresh) { return; }
  const age = Date.now() - lastFresh;
  const asof = $("asof");
  asof.textContent = age > STALE_MS ? `data ${Math.round(age / 1000)} s old — not live` : "up to date";
  asof.className = age > STALE_MS ? "stale" : "";
}, 1000);

async function start() {
  await loadSession();
  $("app").hidden = false;
  await loadConfiguration();
  await refresh();
  setInterval(() => refresh().catch(() => {}), 5000);
  setInterval(() => loadConfiguration().catch(() => {}), 30000);
  stream();
}

start().catch((e) => { $("notice").textContent = "The page could not load: " + e.message; });
