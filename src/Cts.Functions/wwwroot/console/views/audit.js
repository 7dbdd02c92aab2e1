// The audit trail: who did what to which engine or configuration, searchable.
import { h, replace } from "../dom.js";
import { get, enc } from "../api.js";
import { problemBox, table, td } from "../ui.js";
import * as fmt from "../format.js";
import { navigate } from "../router.js";

export function render(root, params) {
  const conn = h("input", { id: "audit-connection", name: "connectionId", value: params.get("connectionId") || "", autocomplete: "off", placeholder: "all" });
  const from = h("input", { id: "audit-from", name: "from", type: "datetime-local", value: params.get("from") || "" });
  const to = h("input", { id: "audit-to", name: "to", type: "datetime-local", value: params.get("to") || "" });
  const top = h("select", { id: "audit-top", name: "top" }, [100, 250, 1000].map((n) => h("option", { value: n, selected: String(n) === (params.get("top") || "100") }, String(n))));
  const text = h("input", { id: "audit-text", name: "q", type: "search", value: params.get("q") || "", autocomplete: "off", placeholder: "actor, action, reason, outcome" });
  const body = h("div", { id: "audit" });
  const summary = h("p", { class: "summary", "aria-live": "polite" });
  let entries = [];
  const form = h("form", { class: "toolbar", role: "search" },
    h("label", { for: "audit-connection" }, "Connection"), conn, h("label", { for: "audit-from" }, "From"), from,
    h("label", { for: "audit-to" }, "To"), to, h("label", { for: "audit-top" }, "Newest"), top,
    h("button", { type: "submit" }, "Search"), h("label", { for: "audit-text" }, "Filter"), text);
  form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  text.addEventListener("input", draw);
  replace(root, h("h1", {}, "Audit trail"), form, summary, body);

  async function load() {
    const q = new URLSearchParams();
    if (conn.value.trim()) { q.set("connectionId", conn.value.trim()); }
    if (from.value) { q.set("from", new Date(from.value).toISOString()); }
    if (to.value) { q.set("to", new Date(to.value).toISOString()); }
    q.set("top", top.value);
    const shown = new URLSearchParams();
    if (conn.value.trim()) { shown.set("connectionId", conn.value.trim()); }
    if (from.value) { shown.set("from", from.value); }
    if (to.value) { shown.set("to", to.value); }
    if (text.value) { shown.set("q", text.value); }
    navigate("#/audit" + (shown.toString() ? "?" + shown : ""), { replace: true, silent: true });
    const r = await get(`/api/audit?${q}`);
    if (!r.ok) { replace(body, problemBox(r.problem, { onRetry: load })); entries = []; return; }
    entries = r.data.entries;
    draw();
  }

  function draw() {
    const t = text.value.trim().toLowerCase();
    const rows = entries.filter((e) => !t || [e.actor, e.action, e.connectionId, e.reason, e.outcome, e.fromState, e.toState, e.correlationId].some((x) => x && x.toLowerCase().includes(t)));
    summary.textContent = `${rows.length} of ${entries.length} entries`;
    replace(body, table(["At", "Actor", "Action", "Connection", "From → to", "Reason", "Outcome", "Correlation"], rows.map((e) => h("tr", { class: "o-" + e.outcome },
      td("At", fmt.time(e.at)), td("Actor", e.actor), td("Action", e.action),
      td("Connection", e.connectionId ? h("a", { href: `#/engines/${enc(e.connectionId)}/inspect` }, e.connectionId) : "–"),
      td("From → to", `${e.fromState ?? "–"} → ${e.toState ?? "–"}`), td("Reason", e.reason ?? "–"), td("Outcome", e.outcome),
      td("Correlation", h("code", {}, e.correlationId ?? "–")))), { className: "cards audit" }));
  }
  load();
}
