// Start a backtest from a preset (POST /api/backtests): the server's validation errors appear next to their fields; once
// accepted, the console goes to its page. `#/backtests/new?presetId=x` preselects a preset.
import { h, replace } from "../dom.js";
import { get, post, enc } from "../api.js";
import { can } from "../auth.js";
import { navigate } from "../router.js";
import { problemBox } from "../ui.js";
import { schemaForm } from "../forms.js";
import { readOnlyNote } from "./backtests.js";

const DAY_MS = 86400000;

/** A datetime-local value taken as UTC ("2025-02-03T00:00" → "2025-02-03T00:00:00Z"); the server judges the rest. */
function utc(value) {
  if (!value) { return undefined; }
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(value) ? value + ":00Z" : /Z$/.test(value) ? value : value + "Z";
}

/** A UTC instant as a datetime-local value (minutes). */
const local = (date) => date.toISOString().slice(0, 16);

export function render(root, params) {
  const body = h("div", { id: "backtest-new" });
  replace(root, h("div", { class: "view-head" }, h("h1", {}, "New backtest"),
    h("a", { href: "#/backtests", class: "button secondary" }, "All backtests")), body);

  async function load() {
    const r = await get("/api/presets");
    if (!r.ok) { replace(body, problemBox(r.problem, { onRetry: load })); return; }
    const presets = r.data.presets ?? [];
    const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
    const values = {
      presetId: params.get("presetId") || "default",
      symbols: (params.get("symbols") || "BTCUSDT").split(","),
      from: local(new Date(today.getTime() - 7 * DAY_MS)),
      to: local(today),
      dataSource: "paper",
    };
    const form = schemaForm([
      { name: "presetId", label: "Preset", type: "select", options: presets.map((p) => [p.id, `${p.name} (${p.id})`]) },
      { name: "symbols", label: "Symbols", type: "list", hint: "Comma-separated, quoted in USDT: BTCUSDT, ETHUSDT (at most 10)." },
      { name: "from", label: "From (UTC)", type: "datetime-local", step: "60", optional: true, hint: "A whole minute, in UTC." },
      { name: "to", label: "To (UTC)", type: "datetime-local", step: "60", optional: true, hint: "At most 366 days after from." },
      { name: "startingBalance", label: "Starting balance (quote)", type: "number", optional: true, placeholder: "paper default (10,000)", hint: "Empty: the paper venue's starting balance." },
      { name: "feeRate", label: "Fee rate (fraction of the notional)", type: "number", optional: true, placeholder: "paper default (0.001 = 0.1 %)", hint: "Empty: the paper venue's fee." },
      { name: "slippageBps", label: "Slippage (bps)", type: "number", optional: true, placeholder: "paper default (5)", hint: "Empty: the paper venue's slippage." },
      { name: "dataSource", label: "Data", type: "select", options: [["paper", "Paper market (deterministic)"], ["imported", "Imported candles"]],
        hint: "Imported: candles sent with POST /api/candles/{symbol}, covering the window and the strategy's warm-up before it." },
    ], values, {
      readOnly: !can("operator"),
      submitLabel: "Start backtest",
      onSubmit: async (f) => {
        const v = f.values();
        const request = { ...v, from: utc(v.from), to: utc(v.to) };
        const started = await post("/api/backtests", request);
        if (started.ok) { navigate(`#/backtests/${enc(started.data.id)}`); return; }
        f.showProblem(started.problem);
      },
    });
    form.form.id = "backtest-form";
    replace(body, can("operator") ? null : readOnlyNote(), form.form);
  }
  load();
}
