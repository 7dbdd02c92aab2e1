// Create or edit a preset, with the server's validation shown next to each field.
import { h, replace } from "../dom.js";
import { get, call, enc } from "../api.js";
import { can } from "../auth.js";
import { problemBox } from "../ui.js";
import { schemaForm } from "../forms.js";
import { navigate } from "../router.js";

export const PRESET_FIELDS = [
  { name: "id", label: "Id", readOnlyOnEdit: true },
  { name: "name", label: "Name" },
  { name: "strategy", label: "Strategy", type: "select", options: [["ema-crossover", "EMA crossover"], ["rsi-reversion", "RSI reversion"]] },
  { name: "emaFast", label: "Fast EMA period", type: "number", step: "1" },
  { name: "emaSlow", label: "Slow EMA period", type: "number", step: "1" },
  { name: "useRsiFilter", label: "EMA crossover: only enter while RSI is below overbought", type: "checkbox" },
  { name: "rsiPeriod", label: "RSI period", type: "number", step: "1" },
  { name: "rsiOversold", label: "RSI oversold", type: "number" },
  { name: "rsiOverbought", label: "RSI overbought", type: "number" },
  { name: "positionSizeQuote", label: "Position size (quote)", type: "number" },
  { name: "maxOpenPositions", label: "Max open positions", type: "number", step: "1" },
  { name: "stopLossPct", label: "Stop-loss %", type: "number" },
  { name: "takeProfitPct", label: "Take-profit %", type: "number" },
  { name: "trailingStopPct", label: "Trailing stop %", type: "number", optional: true, hint: "Empty: no trailing stop." },
  { name: "indicationsMs", label: "Indications every (ms)", type: "number", step: "1", optional: true, hint: "Empty: the host's default." },
  { name: "strategiesMs", label: "Strategies every (ms)", type: "number", step: "1", optional: true },
  { name: "realtimeMs", label: "Realtime every (ms)", type: "number", step: "1", optional: true },
];

export function render(root, _params, { id }) {
  const creating = !id;
  const body = h("div");
  replace(root, h("div", { class: "view-head" }, h("h1", {}, creating ? "New preset" : `Preset ${id}`),
    h("a", { href: "#/presets", class: "button secondary" }, "All presets")), body);
  async function load() {
    let current = { strategy: "ema-crossover", emaFast: 9, emaSlow: 21, rsiPeriod: 14, rsiOversold: 30, rsiOverbought: 70, positionSizeQuote: 100, maxOpenPositions: 3, stopLossPct: 2, takeProfitPct: 4 };
    let etag = null;
    if (!creating) {
      const r = await get(`/api/presets/${enc(id)}`);
      if (!r.ok) { replace(body, problemBox(r.problem, { onRetry: load })); return; }
      current = r.data;
      etag = r.etag;
    }
    const form = schemaForm(PRESET_FIELDS, current, {
      readOnly: !can("admin"), editing: !creating, submitLabel: creating ? "Create preset" : "Save changes",
      onSubmit: async (f) => {
        const values = f.values();
        const r = creating
          ? await call("POST", "/api/presets", { body: values })
          : await call("PUT", `/api/presets/${enc(id)}`, { body: { ...values, id }, ifMatch: etag });
        if (r.ok) {
          if (creating) { navigate(`#/presets/${enc(r.data.id)}`); return; }
          etag = r.etag;
          f.note(`Saved: version ${r.data.version}. Running engines on this preset report "restart required".`);
        } else {
          f.showProblem(r.problem, r.status === 412 ? { onRetry: load, retryLabel: "Reload the current version" } : undefined);
        }
      },
    });
    replace(body, !can("admin") ? h("p", { class: "notice" }, "Only an admin can change presets.") : null, form.form);
  }
  load();
}
