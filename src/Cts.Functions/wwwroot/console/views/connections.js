// Connections: a searchable list in pages of 50 with the engine's state, test, enable, disable, delete (offering to close positions), edit.
// Test (POST /api/connections/{id}/test) answers inline: ok with latency, clock skew and the symbols' rules, or the venue's refusal.
import { h, replace, keepFocus } from "../dom.js";
import { post, getAll, enc } from "../api.js";
import * as store from "../store.js";
import { can } from "../auth.js";
import { badge, problemBox, table, td, facts } from "../ui.js";
import { runAction, actionError, roleFor } from "../actions.js";
import * as fmt from "../format.js";
import { navigate } from "../router.js";

// What the search matches, lowercased once per connection document (the store replaces a document when it changes).
const haystacks = new WeakMap();
function searchText(c) {
  let text = haystacks.get(c);
  if (text === undefined) {
    text = [c.id, c.name, c.exchange, c.presetId ?? "default", ...(c.symbols ?? [])].filter(Boolean).join("\n").toLowerCase();
    haystacks.set(c, text);
  }
  return text;
}

const PAGE = 50;

export function render(root, params) {
  const q = { text: params?.get("q") || "", page: Math.max(1, Number(params?.get("page")) || 1) };
  const body = h("div", { id: "connections" });
  const results = new Map(); // id → element with the last test result
  const summary = h("p", { class: "summary", id: "connections-summary", "aria-live": "polite" });
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  const setQuery = (change) => {
    Object.assign(q, change);
    const p = new URLSearchParams();
    if (q.text) { p.set("q", q.text); }
    if (q.page > 1) { p.set("page", q.page); }
    navigate("#/connections" + (p.toString() ? "?" + p : ""), { replace: true, silent: true });
    draw();
  };
  const search = h("input", { id: "connections-text", type: "search", name: "q", value: q.text, placeholder: "id, name, exchange, symbol, preset", autocomplete: "off",
    oninput: (e) => setQuery({ text: e.target.value, page: 1 }) });
  replace(root, h("div", { class: "view-head" }, h("h1", {}, "Connections"),
    can("admin") ? h("a", { href: "#/connections/new", class: "button", id: "new-connection" }, "New connection") : null),
    h("form", { class: "toolbar", role: "search", onsubmit: (e) => e.preventDefault() }, h("label", { for: "connections-text" }, "Search"), search),
    summary, body, pager);

  // Pages of 50 in id order, filtered by text: at 10,000 connections only the page shown is built.
  function draw() {
    const text = q.text.trim().toLowerCase();
    const all = [...store.connections.values()];
    const list = (text ? all.filter((c) => searchText(c).includes(text)) : all).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    if (q.page > pages) { q.page = pages; }
    summary.textContent = `${fmt.count(all.length)} connections` + (text ? `, ${fmt.count(list.length)} match` : "");
    keepFocus(pager, () => replace(pager, pages === 1 ? [] : [
      h("button", { type: "button", class: "secondary", disabled: q.page <= 1, onclick: () => setQuery({ page: q.page - 1 }) }, "Previous"),
      h("span", { "aria-current": "page" }, ` Page ${q.page} of ${pages} `),
      h("button", { type: "button", class: "secondary", disabled: q.page >= pages, onclick: () => setQuery({ page: q.page + 1 }) }, "Next")]));
    if (!list.length) {
      replace(body, !store.loadState().done ? h("p", {}, "Loading…") : h("p", { class: "empty" }, all.length ? "No connection matches." : "No connections yet."));
      return;
    }
    const shown = list.slice((q.page - 1) * PAGE, q.page * PAGE);
    keepFocus(body, () => replace(body, table(["Connection", "Exchange", "Symbols", "Preset", "Credentials", "Engine", "Version", "Actions"], shown.map((c) => {
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

