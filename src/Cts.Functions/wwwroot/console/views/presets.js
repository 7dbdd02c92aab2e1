// Presets: the strategy and risk parameters connections trade with.
import { h, replace } from "../dom.js";
import { get, call, enc } from "../api.js";
import { can } from "../auth.js";
import { problemBox, table, td, confirmDialog } from "../ui.js";
import * as fmt from "../format.js";

export function render(root) {
  const body = h("div", { id: "presets" });
  replace(root, h("div", { class: "view-head" }, h("h1", {}, "Presets"),
    can("admin") ? h("a", { href: "#/presets/new", class: "button" }, "New preset") : null), body);
  async function load() {
    const r = await get("/api/presets");
    if (!r.ok) { replace(body, problemBox(r.problem, { onRetry: load })); return; }
    replace(body, table(["Preset", "Strategy", "EMA fast/slow", "RSI", "Size", "Max open", "Stop-loss", "Take-profit", "Trailing", "Version", ""], r.data.presets.map((p) => {
      const err = h("div");
      return h("tr", { dataset: { preset: p.id } },
        td("Preset", h("a", { href: `#/presets/${enc(p.id)}` }, p.name), h("div", { class: "muted" }, p.id)),
        td("Strategy", p.strategy), td("EMA", `${p.emaFast} / ${p.emaSlow}`),
        td("RSI", `${p.rsiPeriod}: ${p.rsiOversold}–${p.rsiOverbought}${p.useRsiFilter ? " (filter)" : ""}`),
        td("Size", fmt.money(p.positionSizeQuote)), td("Max open", String(p.maxOpenPositions)),
        td("Stop-loss", fmt.pct(p.stopLossPct, { signed: false })), td("Take-profit", fmt.pct(p.takeProfitPct, { signed: false })),
        td("Trailing", p.trailingStopPct == null ? "–" : fmt.pct(p.trailingStopPct, { signed: false })), td("Version", `v${p.version}`),
        td("", can("admin") && p.id !== "default" ? h("button", { type: "button", class: "danger", "aria-label": `Delete preset ${p.id}`, onclick: async () => {
          if (!await confirmDialog({ title: `Delete preset ${p.id}?`, message: "Connections using it must be moved to another preset first.", confirmLabel: "Delete", danger: true })) { return; }
          const got = await get(`/api/presets/${enc(p.id)}`);
          const d = await call("DELETE", `/api/presets/${enc(p.id)}`, { ifMatch: got.etag });
          if (d.ok) { load(); } else { replace(err, problemBox(d.problem, { onDismiss: () => replace(err) })); }
        } }, "Delete") : null, err));
    }), { className: "cards presets" }));
  }
  load();
}
