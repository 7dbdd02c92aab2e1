// What the console knows of the desk: every engine's status (status-all, page by page, kept current by the live
// stream), the connections and presets, and a short history of each processor's cycle latency for the sparklines.
import { get, getAll } from "./api.js";
import { onEvent, heard } from "./stream.js";

export const engines = new Map();      // connectionId → status document
export const connections = new Map();  // id → connection view
export const presets = new Map();      // id → preset
const latency = new Map();             // connectionId → { processor → [ms…] }
const SPARK_POINTS = 40;
const RESYNC_MS = 30000;
const listeners = new Set();
let loading = { engines: 0, done: false, problem: null };
let scheduled = false;
let redraw = { ms: 0, at: 0, runs: 0 };
const statusPages = new Map(); // continuation token → { etag, data } of the status-all pages last read (304 reuses them)

export const onChange = (f) => { listeners.add(f); return () => listeners.delete(f); };
export const loadState = () => loading;
export const latencyOf = (id, processor) => latency.get(id)?.[processor] ?? [];

/**
 * Listeners run at most once a frame, however many events came, and never more than a fifth of the time: after a
 * redraw that took t ms the next waits 4 t ms. A small desk redraws every frame; at 10,000 engines a redraw costs
 * more, and a stream of health events cannot keep the page busy redrawing.
 */
export function changed() {
  if (scheduled) { return; }
  scheduled = true;
  const wait = Math.max(0, redraw.at + 4 * redraw.ms - performance.now());
  const run = () => requestAnimationFrame(() => {
    scheduled = false;
    const start = performance.now();
    for (const f of listeners) { f(); }
    redraw = { ms: performance.now() - start, at: performance.now(), runs: redraw.runs + 1 };
  });
  if (wait > 0) { setTimeout(run, wait); } else { run(); }
}

/** How long the last run of the listeners took (ms), when it ended (performance.now()), and how many runs there were. */
export const lastRedraw = () => redraw;

function recordLatency(status) {
  let byProcessor = latency.get(status.connectionId);
  if (!byProcessor) { latency.set(status.connectionId, byProcessor = {}); }
  const previous = engines.get(status.connectionId);
  for (const [name, p] of Object.entries(status.processors || {})) {
    if (p.lastLatencyMs == null) { continue; }
    if (previous && previous.processors?.[name]?.lastRunAt === p.lastRunAt) { continue; }
    const series = byProcessor[name] ??= [];
    series.push(p.lastLatencyMs);
    if (series.length > SPARK_POINTS) { series.shift(); }
  }
}

/** Takes a status unless the one held is newer (a late answer, or a listing read before the event that followed it). */
export function upsertEngine(status) {
  const held = engines.get(status.connectionId);
  if (held?.updatedAt && status.updatedAt && new Date(status.updatedAt) < new Date(held.updatedAt)) { return; }
  recordLatency(status);
  engines.set(status.connectionId, status);
  changed();
}

/** Loads everything, page by page (1,000 a page: ten requests for 10,000 engines). */
export async function loadAll() {
  loading = { ...loading, engines: 0 };
  const [statuses, conns, pres] = await Promise.all([
    getAll("/api/engines", "engines", {
      cache: statusPages,
      // A page not modified since it was last read holds nothing new: what changed since came by the stream.
      onPage: (page, total, notModified) => {
        if (!notModified) { for (const s of page) { upsertEngine(s); } }
        loading = { ...loading, engines: total };
        changed();
      },
    }),
    getAll("/api/connections", "connections"),
    get("/api/presets"),
  ]);
  if (statuses.ok) {
    heard();
    const seen = new Set(statuses.items.map((s) => s.connectionId));
    for (const id of [...engines.keys()]) { if (!seen.has(id)) { engines.delete(id); } }
  }
  if (conns.ok) {
    connections.clear();
    for (const c of conns.items) { connections.set(c.id, c); }
  }
  if (pres.ok) {
    presets.clear();
    for (const p of pres.data.presets ?? pres.data.items ?? []) { presets.set(p.id, p); }
  }
  loading = { engines: engines.size, done: true, problem: statuses.ok ? null : statuses.problem };
  changed();
  return statuses.ok;
}

export async function refreshConnection(id) {
  const r = await get(`/api/connections/${encodeURIComponent(id)}`);
  if (r.ok) { connections.set(id, r.data); } else if (r.status === 404) { connections.delete(id); engines.delete(id); }
  changed();
}

export function start() {
  onEvent((type, event) => {
    if (type === "engine-state" || type === "engine-health") {
      upsertEngine(event.data);
    } else if (type === "connection-created") {
      refreshConnection(event.connectionId);
      get(`/api/engines/${encodeURIComponent(event.connectionId)}`).then((r) => { if (r.ok) { upsertEngine(r.data); } });
    } else if (type === "reset") {
      loadAll(); // the stream could not replay everything missed: read status-all again
    } else if (type === "connection-deleted") {
      connections.delete(event.connectionId);
      engines.delete(event.connectionId);
      changed();
    }
  });
  loadAll();
  setInterval(loadAll, RESYNC_MS);
}
