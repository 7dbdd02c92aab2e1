// The cluster: nodes, engines per node and state, and the live-event relay lag; Orleans internals on /dashboard.
import { h, replace } from "../dom.js";
import { get } from "../api.js";
import * as fmt from "../format.js";
import { can } from "../auth.js";
import { problemBox, notAvailable, table, td, facts } from "../ui.js";

export function render(root) {
  const body = h("div", { id: "cluster" });
  replace(root, h("div", { class: "view-head" }, h("h1", {}, "Cluster"),
    h("div", { class: "buttons" }, h("button", { type: "button", class: "secondary", onclick: () => load() }, "Refresh"),
      h("a", { href: "/dashboard", class: "button secondary" }, "Orleans dashboard (runtime internals)"),
      can("admin") ? null : h("small", { class: "hint" }, "The Orleans dashboard needs the admin role."))), body);

  async function load() {
    const r = await get("/api/cluster");
    if (!r.ok) { replace(body, r.routeMissing ? notAvailable("The cluster overview") : problemBox(r.problem, { onRetry: load })); return; }
    const c = r.data;
    const states = (by) => Object.entries(by).map(([k, n]) => `${k} ${n}`).join(" · ") || "none";
    replace(body,
      h("p", { class: "muted" }, `${c.nodes.length} node${c.nodes.length === 1 ? "" : "s"}, ${c.engines} engines; answered by ${c.answeredBy} at ${fmt.time(c.asOf)}`),
      table(["Node", "Status", "Started", "Last alive", "Engines", "By state"], c.nodes.map((n) => h("tr", { dataset: { node: n.address } },
        td("Node", h("code", {}, n.address), n.self ? h("small", { class: "muted" }, " (this node)") : null, n.name ? h("div", { class: "muted" }, n.name) : null),
        td("Status", n.status), td("Started", fmt.time(n.startedAt)), td("Last alive", fmt.time(n.lastAliveAt)),
        td("Engines", String(n.engines)), td("By state", states(n.enginesByState)))), { className: "cards nodes" }),
      h("h2", {}, "Not activated on any node"),
      h("p", {}, `${c.notActivated.count}: ${states(c.notActivated.byState)}`, h("small", { class: "hint" }, "Idle or stopped engines nobody has asked about since the last restart.")),
      h("h2", {}, "Live-event relay into this node"),
      facts([
        ["Events from other nodes", String(c.relayLag.eventsReceived)],
        ["Last batch", c.relayLag.lastBatchAt ? fmt.time(c.relayLag.lastBatchAt) : "none (one node, or no peer events yet)"],
        ["Last lag", fmt.ms(c.relayLag.lastLagMs)],
        ["Worst lag, last minute", fmt.ms(c.relayLag.maxLagMsLastMinute)],
      ]));
  }
  load();
  const timer = setInterval(load, 10000);
  return () => clearInterval(timer);
}
