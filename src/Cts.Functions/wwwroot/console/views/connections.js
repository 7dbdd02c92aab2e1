// Connections: list with the engine's state, test, enable, disable, delete (offering to close positions), edit.
// Test (POST /api/connections/{id}/test) answers inline: ok with latency, clock skew and the symbols' rules, or the venue's refusal.
import { h, replace, keepFocus } from "../dom.js";
import { post, getAll, enc } from "../api.js";
import * as store from "../store.js";
import { can } from "../auth.js";
import { badge, problemBox, table, td, facts } from "../ui.js";
import { runAction, actionError, roleFor } from "../actions.js";
import * as fmt from "../format.js";

export function render(root) {
  const body = h("div", { id: "connections" });
  const results = new Map(); // id → element with the last test result
  replace(root, h("div", { class: "view-head" }, h("h1", {}, "Connections"),
    can("admin") ? h("a", { href: "#/connections/new", class: "button", id: "new-connection" }, "New connection") : null), body);

  function draw() {
    const list = [...store.connections.values()].sort((a, b) => a.id.localeCompare(b.id));
    if (!list.length) { replace(body, store.loadState().done ? h("p", { class: "empty" }, "No connections yet.") : h("p", {}, "Loading…")); return; }
    keepFocus(body, () => replace(body, table(["Connection", "Exchange", "Symbols", "Preset", "Credentials", "Engine", "Version", "Actions"], list.map((c) => {
      const s = store.engines.get(c.id);
      const allowed = s?.allowedActions ?? [];
      const button = (action, label, onclick, cls = "secondary") => h("button", { type: "button", class: cls, dataset: { conn: c.id, connAction: action }, "aria-label": `${label} ${c.id}`, onclick }, label);
      return h("tr", { dataset: { connection: c.id } },
        td("Connection", h("a", { href: `#/engines/${enc(c.id)}` }, c.name), h("div", { class: "muted" }, c.id)),
        td("Exchange", c.exchange + (c.testnet ? " (testnet)" : "")), td("Symbols", c.symbols.join(", ")), td("Preset", c.presetId ?? "default"),
        td("Credentials", c.credentials ? `${c.credentials.apiKey} · secret ${c.credentials.hasSecret ? "set" : "not set"}` : "none"),
        td("Engine", s ? badge(s.state) : "–"), td("Version", `v${c.version}`, h("div", { class: "muted" }, fmt.time(c.updatedAt))),
        td("Actions", h("div", { class: "actions" },
          can("admin") ? h("a", { href: `#/connections/${enc(c.id)}`, class: "button secondary", dataset: { conn: c.id, connAction: "edit" } }, "Edit") : null,
          can("operator") ? button("test", "Test", () => test(c.id)) : null,
          ["enable", "disable", "delete"].filter((a) => allowed.includes(a) || (a === "delete" && s)).filter((a) => can(roleFor(a)))
            .map((a) => button(a, a[0].toUpperCase() + a.slice(1), () => runAction(c.id, a, { status: s }), a === "delete" ? "danger" : "secondary")),
          !can("operator") ? h("small", { class: "hint" }, "Read-only for the viewer role.") : null),
          actionError(c.id), results.get(c.id) ?? null));
    }), { className: "cards connections" })));
  }

  async function test(id) {
    const slot = h("div", { class: "test-result", "aria-live": "polite" }, "Testing…");
    results.set(id, slot);
    draw();
    const r = await post(`/api/connections/${enc(id)}/test`);
    if (r.ok) {
      const p = r.data;
      replace(slot, h("div", { class: p.ok ? "notice ok" : "problem" }, h("strong", {}, p.ok ? "Connection OK" : "Connection refused"), p.reason ? ": " + p.reason : "",
        facts([["Latency", fmt.ms(p.latencyMs)], ["Clock skew", fmt.ms(p.clockSkewMs)], ["Can trade", p.canTrade == null ? "–" : p.canTrade ? "yes" : "no"],
          ...(p.symbols || []).map((s) => [s.symbol, `tick ${s.tickSize} · step ${s.stepSize} · min qty ${s.minQty} · min notional ${s.minNotional}`])])));
    } else {
      replace(slot, problemBox(r.problem, { onRetry: () => test(id) }));
    }
    draw();
  }

  draw();
  const off = store.onChange(draw);
  // The list here is the store's; load it now too so a fresh change shows without waiting for the next resync.
  getAll("/api/connections", "connections").then((r) => { if (r.ok) { for (const c of r.items) { store.connections.set(c.id, c); } store.changed(); } });
  return off;
}

