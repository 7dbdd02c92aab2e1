// The live stream (GET /api/events, server-sent events read through fetch so the key header can be sent), with
// reconnects that replay from Last-Event-ID. Says whether it is live; the console flags data that is getting old.
import { headers } from "./auth.js";

const RECONNECT_MS = 2000;
// The server sends a comment every 15 s: a stream silent for longer than two of them is dead, whatever TCP says.
const SILENCE_MS = 35000;
let lastEventId = null;
let lastHeard = 0;
let live = false;
const listeners = new Set();
const statusListeners = new Set();

export const onEvent = (f) => { listeners.add(f); return () => listeners.delete(f); };
export const onStatus = (f) => { statusListeners.add(f); f(live); return () => statusListeners.delete(f); };
export const heardAt = () => lastHeard;
export const heard = () => { lastHeard = Date.now(); };
export const isLive = () => live;

function setLive(value) {
  if (live === value) { return; }
  live = value;
  for (const f of statusListeners) { f(live); }
}

let current = null; // the AbortController of the stream being read
let wake = null;    // resolves the wait before a reconnect

// The browser knows when it goes offline: drop the stream at once (and say so); reconnect as soon as it is back.
window.addEventListener("offline", () => current?.abort());
window.addEventListener("online", () => wake?.());

export async function run() {
  for (;;) {
    const abort = current = new AbortController();
    const watchdog = setInterval(() => { if (Date.now() - lastHeard > SILENCE_MS) { abort.abort(); } }, 5000);
    try {
      const h = { Accept: "text/event-stream", ...headers("GET") };
      if (lastEventId) { h["Last-Event-ID"] = lastEventId; }
      const response = await fetch("/api/events", { headers: h, credentials: "same-origin", signal: abort.signal });
      if (!response.ok || !response.body) { throw new Error("stream " + response.status); }
      setLive(true);
      heard();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) { break; }
        heard();
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch { /* reconnect below */ }
    clearInterval(watchdog);
    setLive(false);
    await new Promise((r) => { wake = r; setTimeout(r, RECONNECT_MS); });
  }
}

function dispatch(block) {
  let id = null, type = null, data = "";
  for (const line of block.split("\n")) {
    if (line.startsWith("id:")) { id = line.slice(3).trim(); }
    else if (line.startsWith("event:")) { type = line.slice(6).trim(); }
    else if (line.startsWith("data:")) { data += line.slice(5).trimStart(); }
  }
  if (id) { lastEventId = id; }
  if (!type || !data) { return; }
  let parsed;
  try { parsed = JSON.parse(data); } catch { return; }
  for (const f of listeners) { f(type, parsed); }
}
