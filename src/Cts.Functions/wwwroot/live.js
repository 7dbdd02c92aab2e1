// The live trading page: status-all for the first picture, then the server-sent event stream for every change,
// with a status-all refresh every 5 s as a safety net. Nothing older than a few seconds is shown without saying so.
"use strict";
const ACTIONS = ["start", "pause", "resume", "stop", "restart"];
const STALE_MS = 5000;
const engines = new Map();      // connectionId → status document
const positions = new Map();    // position id → position
let key = sessionStorage.getItem("cts-api-key");
let lastEventId = null;
let lastFresh = 0;              // when the page last heard from the server
let etag = null;

const $ = (id) => document.getElementById(id);
const api = (path, init = {}) => fetch(path, { ...init, headers: { ...(init.headers || {}), "X-Api-Key": key } });

function setLink(up, text) {
  const link = $("link");
  link.className = "link " + (up ? "up" : "down");
  link.textContent = text;
}

async function refresh() {
  const response = await api("/api/engines?top=1000", etag ? { headers: { "If-None-Match": etag } } : {});
  if (response.status === 401 || response.status === 403) { return logout("That key is not accepted."); }
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
      const headers = { "X-Api-Key": key };
      if (lastEventId) { headers["Last-Event-ID"] = lastEventId; }
      const response = await fetch("/api/events", { headers });
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
    else if (line.startsWith("data: ")) { data = JSON.parse(line.slice(6)); }
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
  }
}

function processors(status) {
  return Object.entries(status.processors).map(([name, h]) =>
    `${name}: ${h.runs} · ${h.failures} · ${h.p95LatencyMs ?? "–"}`).join("<br>");
}

function renderEngines() {
  const rows = [...engines.values()].sort((a, b) => a.connectionId.localeCompare(b.connectionId)).map((s) => {
    const buttons = ACTIONS.map((a) =>
      `<button data-engine="${s.connectionId}" data-action="${a}" ${s.allowedActions.includes(a) ? "" : "disabled"}>${a[0].toUpperCase() + a.slice(1)}</button>`).join("");
    const banner = s.restartRequired
      ? `<div class="banner">Restart required: ${s.restartReason} <button data-engine="${s.connectionId}" data-action="restart">Restart</button></div>` : "";
    const retry = s.retry ? (s.retry.nextAttemptAt
      ? `retry ${s.retry.attempt}/${s.retry.maxAttempts} at ${new Date(s.retry.nextAttemptAt).toLocaleTimeString()}`
      : `gave up after ${s.retry.attempt} retries`) : "";
    const problem = s.lastError ? `<div class="problem"><span class="error">${s.lastError.kind}: ${s.lastError.message}</span><br>${retry}
      ${s.escalated ? "<br>Escalated: check the exchange, the credentials and the connection, then retry." : ""}
      <button data-engine="${s.connectionId}" data-action="start">Retry</button></div>` : "";
    const degraded = s.degraded ? `<div class="problem">Storage unavailable: no new positions until it returns.</div>` : "";
    return `<tr data-engine="${s.connectionId}"><td>${s.connectionId}</td>
      <td><span class="badge ${s.state}" data-state="${s.state}">${s.state}</span>${banner}${problem}${degraded}</td>
      <td>${s.updatedAt ? new Date(s.updatedAt).toLocaleTimeString() : "–"}</td>
      <td>${processors(s)}</td>
      <td>${s.realizedPnl.toFixed(2)} / ${s.unrealizedPnl.toFixed(2)}</td>
      <td>${s.openPositions}</td><td>${buttons}</td></tr>`;
  });
  $("engines").tBodies[0].innerHTML = rows.join("");
}

function renderPositions() {
  const rows = [...positions.values()].sort((a, b) => (b.closedAt ?? b.openedAt).localeCompare(a.closedAt ?? a.openedAt)).map((p) =>
    `<tr data-position="${p.id}"><td>${p.connectionId}</td><td>${p.symbol}</td><td>${p.status}${p.exitReason ? " (" + p.exitReason + ")" : ""}</td>
      <td>${p.quantity}</td><td>${p.entryPrice}</td><td>${p.exitPrice ?? "–"}</td><td>${p.realizedPnl ?? "–"}</td>
      <td>${new Date(p.openedAt).toLocaleTimeString()}</td></tr>`);
  $("positions").tBodies[0].innerHTML = rows.join("");
}

document.addEventListener("click", async (e) => {
  const button = e.target.closest("button[data-action]");
  if (!button) { return; }
  button.disabled = true;
  const response = await api(`/api/engines/${button.dataset.engine}/${button.dataset.action}`, { method: "POST" });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    alert(`${button.dataset.action} refused: ${problem.detail ?? response.status}`);
  }
  await refresh();
});

// Says how old the picture is, and flags it once it is older than a few seconds.
setInterval(() => {
  if (!lastFresh) { return; }
  const age = Date.now() - lastFresh;
  const asof = $("asof");
  asof.textContent = age > STALE_MS ? `data ${Math.round(age / 1000)} s old — not live` : "up to date";
  asof.className = age > STALE_MS ? "stale" : "";
}, 1000);

function logout(message) {
  sessionStorage.removeItem("cts-api-key");
  key = null;
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message || "";
}

$("login").addEventListener("submit", (e) => {
  e.preventDefault();
  key = $("key").value;
  sessionStorage.setItem("cts-api-key", key);
  start();
});

async function start() {
  $("login").hidden = true;
  $("app").hidden = false;
  await refresh();
  if (key) {
    setInterval(refresh, 5000);
    stream();
  }
}

if (key) { start(); } else { logout(); }
