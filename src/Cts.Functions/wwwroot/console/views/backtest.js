// One backtest: status and live progress while it runs, then its report — every figure, the exit reasons, the
// buy-and-hold benchmark, the equity curve, each symbol's candles with the trades' entries and exits, and every trade.
import { h, replace } from "../dom.js";
import { get, enc } from "../api.js";
import { can } from "../auth.js";
import { onEvent } from "../stream.js";
import { navigate } from "../router.js";
import * as fmt from "../format.js";
import { badge, problemBox, table, td, facts, pnlCell, signed } from "../ui.js";
import { candleChart, equityChart, attribution, load as loadCharts } from "../chart.js";
import { METRICS, statCard, currencyOf, presetName, progressBar, isActive, timeSpanMs } from "./backtest-metrics.js";
import { removeBacktest, readOnlyNote } from "./backtests.js";

const TRADES_SHOWN = 200;

export function render(root, _params, { id }) {
  const charts = new Set();
  let alive = true;
  let current = null;
  const dispose = (c) => { if (c && charts.delete(c)) { c.remove(); } };
  const head = h("div", { class: "view-head" });
  const status = h("section", { id: "backtest-status", "aria-live": "polite" });
  const report = h("div", { id: "report" });
  replace(root, head, status, report);

  async function load() {
    const r = await get(`/api/backtests/${enc(id)}`);
    if (!alive) { return; }
    if (!r.ok) {
      replace(head, h("h1", {}, "Backtest ", id));
      replace(status, problemBox(r.status === 404 ? { title: "Backtest not found", detail: `There is no backtest '${id}'.` } : r.problem,
        r.status === 404 ? {} : { onRetry: load }));
      replace(report);
      return;
    }
    current = r.data;
    drawHead();
    drawStatus();
    await drawReport();
  }

  function drawHead() {
    const b = current;
    const cancelError = h("div");
    replace(head,
      h("div", {}, h("h1", {}, "Backtest: ", h("span", { class: "preset-name" }, presetName(b)), " ", badge(b.status)),
        h("p", { class: "muted" }, [b.id, b.request.symbols.join(", "), `${fmt.time(b.request.from)} – ${fmt.time(b.request.to)}`,
          b.request.dataSource === "imported" ? "imported candles" : "paper market"].join(" · "))),
      h("div", { class: "buttons" },
        h("a", { href: "#/backtests", class: "button secondary" }, "All backtests"),
        can("operator") ? h("a", { href: `#/backtests/new?presetId=${enc(b.request.presetId)}&symbols=${b.request.symbols.map(enc).join(",")}`, class: "button secondary" }, "Run again") : null,
        can("operator") ? h("button", { type: "button", class: "danger", id: "cancel", onclick: async () => {
          const done = await removeBacktest(current);
          if (done.ok) { navigate("#/backtests"); } else if (done.problem) { replace(cancelError, problemBox(done.problem)); }
        } }, isActive(b.status) ? "Cancel" : "Delete") : null),
      can("operator") ? cancelError : readOnlyNote());
  }

  function drawStatus() {
    const b = current;
    replace(status,
      h("div", { class: "backtest-progress" }, progressBar(b),
        isActive(b.status) ? h("span", { class: "muted" }, b.simulatedTime ? ` simulated time ${fmt.time(b.simulatedTime)}` : " waiting to start", ` · ${b.trades} trades so far`) : null),
      b.error ? problemBox({ title: `The backtest ${b.status}`, detail: b.error }) : null);
  }

  async function drawReport() {
    const b = current;
    [...charts].forEach(dispose);
    const r = b.results;
    const spec = b.request;
    const currency = currencyOf(b);
    const settings = h("section", { id: "settings", "aria-labelledby": "settings-h" }, h("h2", { id: "settings-h" }, "Run"),
      facts([
        ["Preset", h("span", {}, presetName(b), " ", h("span", { class: "muted" }, `(${spec.presetId}, ${spec.preset.strategy})`))],
        ["Symbols", spec.symbols.join(", ")],
        ["Window", `${fmt.time(spec.from)} – ${fmt.time(spec.to)}`],
        ["Data", spec.dataSource],
        ["Starting balance", fmt.money(spec.startingBalance, currency)],
        ["Fee, slippage", `${fmt.pct(spec.feeRate * 100, { signed: false })} of the notional, ${spec.slippageBps} bps`],
        ["Created", `${fmt.time(b.createdAt)}${b.createdBy ? " by " + b.createdBy : ""}`],
        ["Ran", b.startedAt ? `${fmt.time(b.startedAt)} – ${b.finishedAt ? fmt.time(b.finishedAt) : "…"}` : "not yet"],
        ["Ticks", `${new Intl.NumberFormat().format(b.ticksRun)} run, ${new Intl.NumberFormat().format(b.ticksSkipped)} skipped (provably without effect)`],
        b.resumes ? ["Resumed", `${b.resumes} time${b.resumes === 1 ? "" : "s"}, last from ${fmt.time(b.resumedFrom)}`] : null,
      ]));
    if (!r) {
      replace(report, h("p", { class: "notice" }, isActive(b.status) ? "The report appears here when the backtest completes." : "This backtest has no report."), settings);
      return;
    }
    const equity = h("div", { class: "chart small", id: "equity", role: "img", "aria-label": "Equity curve (mark to market)" });
    const candles = h("section", { id: "chart-section", "aria-labelledby": "chart-h" });
    replace(report,
      h("section", { id: "figures", "aria-labelledby": "figures-h" }, h("h2", { id: "figures-h" }, "Report"),
        h("div", { class: "stats" }, METRICS.map((m) => statCard(m, r, b)))),
      h("section", { id: "equity-section", "aria-labelledby": "equity-h" }, h("h2", { id: "equity-h" }, "Equity curve"),
        h("p", { class: "muted" }, `${r.equityCurve.length} points, mark to market (cash plus open positions at the bid).`), equity, attribution()),
      candles,
      h("div", { class: "grid" },
        h("section", { id: "exit-reasons", "aria-labelledby": "exits-h" }, h("h2", { id: "exits-h" }, "Exit reasons"),
          Object.keys(r.exitReasons).length
            ? table(["Reason", "Trades"], Object.entries(r.exitReasons).map(([k, n]) => h("tr", { dataset: { reason: k } }, td("Reason", k), td("Trades", String(n)))), { className: "cards" })
            : h("p", { class: "empty" }, "No trades.")),
        r.buyAndHold && h("section", { id: "buy-and-hold", "aria-labelledby": "bh-h" }, h("h2", { id: "bh-h" }, "Buy and hold"),
          h("p", {}, "The starting balance split over the symbols, bought at the start and sold at the end with the same fees: ",
            signed(r.buyAndHold.profit, fmt.money(r.buyAndHold.profit, currency, { signed: true })), ` (${fmt.pct(r.buyAndHold.profitPct)}).`),
          table(["Symbol", "Entry", "Exit", "Profit"], r.buyAndHold.symbols.map((s) => h("tr", { dataset: { symbol: s.symbol } },
            td("Symbol", s.symbol), td("Entry", fmt.price(s.symbol, s.entryPrice)), td("Exit", fmt.price(s.symbol, s.exitPrice)),
            td("Profit", pnlCell(s.profit, s.profitPct, currency)))), { className: "cards" }))),
      tradesSection(r, currency),
      settings);
    if (r.equityCurve.length > 1) {
      const c = await equityChart(equity, r.equityCurve, currency);
      if (c && alive) { charts.add(c); equity.dataset.ready = "true"; equity.dataset.points = String(r.equityCurve.length); } else { c?.remove(); }
    } else {
      replace(equity, h("p", { class: "empty" }, "Not enough points for a curve."));
    }
    drawCandles(candles, spec.symbols[0]);
  }

  // The candle chart: one symbol at a time, the window's bars from the backtest's own data, the trades as markers.
  async function drawCandles(section, symbol) {
    const b = current;
    const picker = h("div", { class: "symbols", role: "group", "aria-label": "Symbol" }, b.request.symbols.map((sym) =>
      h("button", { type: "button", "aria-pressed": String(sym === symbol), dataset: { symbol: sym }, onclick: () => {
        for (const c of [...charts]) { if (c.kind === "candles") { dispose(c); } }
        drawCandles(section, sym);
      } }, sym)));
    const holder = h("div", { class: "chart", id: "candles", role: "img", "aria-label": `${symbol} candles with the backtest's entries and exits` });
    const legend = h("div", { class: "legend", id: "chart-legend" });
    const error = h("div");
    replace(section, h("h2", { id: "chart-h" }, "Trades on the chart"), picker, legend, holder, error, attribution());
    const r = await get(`/api/backtests/${enc(b.id)}/candles?symbol=${enc(symbol)}`);
    if (!alive || !holder.isConnected) { return; }
    if (!r.ok) { replace(error, problemBox(r.problem, { onRetry: () => drawCandles(section, symbol) })); return; }
    const view = { ...r.data, indicators: [] };
    const entries = view.markers.filter((m) => m.kind === "entry").length;
    replace(legend, h("span", {}, `${view.candles.length} bars of ${view.interval}`),
      h("span", {}, `${entries} entries, ${view.markers.length - entries} exits`));
    const chart = await candleChart(holder, view);
    if (!chart) { replace(holder, h("p", { class: "notice" }, "The chart library is not available on this server.")); return; }
    if (!alive || !holder.isConnected) { chart.remove(); return; }
    chart.kind = "candles";
    charts.add(chart);
    holder.dataset.ready = "true";
    holder.dataset.bars = String(view.candles.length);
    holder.dataset.markers = String(view.markers.length);
    holder.dataset.symbol = symbol;
  }

  function tradesSection(r, currency) {
    const section = h("section", { id: "trades", "aria-labelledby": "trades-h" });
    const draw = (all) => {
      const shown = all ? r.tradeList : r.tradeList.slice(0, TRADES_SHOWN);
      replace(section, h("h2", { id: "trades-h" }, `Trades (${r.tradeList.length})`),
        shown.length ? table(["Symbol", "Entry", "Exit", "Quantity", "Profit", "Duration", "Exit reason"], shown.map((t) => h("tr", { dataset: { position: t.positionId } },
          td("Symbol", t.symbol),
          td("Entry", fmt.price(t.symbol, t.entryPrice), h("div", { class: "muted" }, fmt.time(t.entryTime))),
          td("Exit", fmt.price(t.symbol, t.exitPrice), h("div", { class: "muted" }, fmt.time(t.exitTime))),
          td("Quantity", fmt.qty(t.quantity)),
          td("Profit", pnlCell(t.profit, t.profitPct, currency)),
          td("Duration", fmt.duration(timeSpanMs(t.duration))),
          td("Exit reason", t.exitReason))), { className: "cards trade-list" }) : h("p", { class: "empty" }, "No trades."),
        shown.length < r.tradeList.length ? h("button", { type: "button", class: "secondary", id: "all-trades", onclick: () => draw(true) }, `Show all ${r.tradeList.length}`) : null);
    };
    draw(false);
    return section;
  }

  const off = onEvent((type, event) => {
    if (type !== "backtest-progress" || event.data.id !== id || !current) { return; }
    const p = event.data;
    const finished = isActive(current.status) && !isActive(p.status);
    const moved = p.status !== current.status;
    Object.assign(current, { status: p.status, progress: p.progress, simulatedTime: p.simulatedTime, trades: p.trades, error: p.error });
    if (finished) { load(); return; } // the report is ready (or the error is)
    if (moved) { drawHead(); } // only then: the buttons keep their focus while the bar moves
    drawStatus();
  });
  loadCharts();
  load();
  return () => { alive = false; off(); [...charts].forEach(dispose); };
}
