// The figures of a backtest's report (GET /api/backtests/{id} → results), labelled and formatted once for the report page
// and the side-by-side comparison, so both say the same thing the same way.
import { h } from "../dom.js";
import * as fmt from "../format.js";

const ratio = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** The quote currency of a backtest (its first symbol's), USDT when unknown. */
export function currencyOf(backtest) {
  return fmt.quoteOf(backtest?.request?.symbols?.[0]) || "USDT";
}

/** The name of the preset a backtest ran (inline presets have theirs too). */
export function presetName(backtest) {
  return backtest?.request?.preset?.name || backtest?.request?.presetId || "preset";
}

/** A .NET TimeSpan on the wire ("1.02:03:04.5" or "02:03:04") in milliseconds, or null. */
export function timeSpanMs(text) {
  const m = /^(-)?(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(String(text ?? ""));
  if (!m) { return null; }
  const ms = ((Number(m[2] || 0) * 24 + Number(m[3])) * 3600 + Number(m[4]) * 60 + Number(m[5])) * 1000;
  return m[1] ? -ms : ms;
}

const num = (v) => (v == null || !isFinite(Number(v)) ? "–" : ratio.format(Number(v)));
const sign = (v) => (Number(v) > 0 ? "pos" : Number(v) < 0 ? "neg" : "");
const fractionPct = (v, signed = true) => (v == null ? "–" : fmt.pct(Number(v) * 100, { signed }));
const trade = (t, c) => (t ? `${fmt.money(t.profit, c, { signed: true })} (${fmt.pct(t.profitPct)}) · ${t.symbol}` : "–");

/**
 * Every figure: key (also the element id stat-{key}), label, text(results, backtest), raw (the API's value, kept in
 * data-raw so a test can compare) and an optional sign class. Fractions (cagr, winRate, exposure) are shown as %.
 */
export const METRICS = [
  { key: "trades", label: "Trades", text: (r) => count.format(r.trades), raw: (r) => r.trades },
  { key: "totalProfit", label: "Total profit", text: (r, b) => fmt.money(r.totalProfit, currencyOf(b), { signed: true }), raw: (r) => r.totalProfit, sign: (r) => sign(r.totalProfit) },
  { key: "totalProfitPct", label: "Total profit %", text: (r) => fmt.pct(r.totalProfitPct), raw: (r) => r.totalProfitPct, sign: (r) => sign(r.totalProfitPct) },
  { key: "expectancy", label: "Expectancy (profit per trade)", text: (r, b) => fmt.money(r.expectancy, currencyOf(b), { signed: true }), raw: (r) => r.expectancy, sign: (r) => sign(r.expectancy) },
  { key: "avgProfitPct", label: "Profit per trade %", text: (r) => fmt.pct(r.avgProfitPct), raw: (r) => r.avgProfitPct, sign: (r) => sign(r.avgProfitPct) },
  { key: "cagr", label: "CAGR", text: (r) => fractionPct(r.cagr), raw: (r) => r.cagr, sign: (r) => sign(r.cagr) },
  { key: "winDrawLoss", label: "Win / draw / loss", text: (r) => `${r.wins} / ${r.draws} / ${r.losses}`, raw: (r) => `${r.wins}/${r.draws}/${r.losses}` },
  { key: "winRate", label: "Win rate", text: (r) => fractionPct(r.winRate, false), raw: (r) => r.winRate },
  { key: "profitFactor", label: "Profit factor", text: (r) => num(r.profitFactor), raw: (r) => r.profitFactor },
  { key: "maxDrawdown", label: "Max drawdown", text: (r, b) => fmt.money(r.maxDrawdown, currencyOf(b)), raw: (r) => r.maxDrawdown, sign: (r) => (r.maxDrawdown > 0 ? "neg" : "") },
  { key: "maxDrawdownPct", label: "Max drawdown %", text: (r) => fmt.pct(r.maxDrawdownPct, { signed: false }), raw: (r) => r.maxDrawdownPct },
  { key: "maxDrawdownSpan", label: "Drawdown from – to", text: (r) => (r.maxDrawdownStart ? `${fmt.time(r.maxDrawdownStart)} – ${fmt.time(r.maxDrawdownEnd)}` : "none"), raw: (r) => r.maxDrawdownStart ? `${r.maxDrawdownStart}/${r.maxDrawdownEnd}` : null },
  { key: "sharpe", label: "Sharpe", text: (r) => num(r.sharpe), raw: (r) => r.sharpe },
  { key: "sortino", label: "Sortino", text: (r) => num(r.sortino), raw: (r) => r.sortino },
  { key: "calmar", label: "Calmar", text: (r) => num(r.calmar), raw: (r) => r.calmar },
  { key: "exposure", label: "Market exposure", text: (r) => fractionPct(r.exposure, false), raw: (r) => r.exposure },
  { key: "bestTrade", label: "Best trade", text: (r, b) => trade(r.bestTrade, currencyOf(b)), raw: (r) => r.bestTrade?.profit ?? null, sign: (r) => sign(r.bestTrade?.profit) },
  { key: "worstTrade", label: "Worst trade", text: (r, b) => trade(r.worstTrade, currencyOf(b)), raw: (r) => r.worstTrade?.profit ?? null, sign: (r) => sign(r.worstTrade?.profit) },
  { key: "avgDuration", label: "Average duration", text: (r) => fmt.duration(timeSpanMs(r.avgDuration)), raw: (r) => r.avgDuration },
  { key: "exitReasons", label: "Exit reasons", text: (r) => Object.entries(r.exitReasons ?? {}).map(([k, n]) => `${k} ${n}`).join(" · ") || "none", raw: (r) => JSON.stringify(r.exitReasons ?? {}) },
  { key: "buyAndHold", label: "Buy and hold", text: (r, b) => (r.buyAndHold ? `${fmt.money(r.buyAndHold.profit, currencyOf(b), { signed: true })} (${fmt.pct(r.buyAndHold.profitPct)})` : "–"), raw: (r) => r.buyAndHold?.profit ?? null, sign: (r) => sign(r.buyAndHold?.profit) },
];

/** One figure as a stat card (the report page). */
export function statCard(metric, results, backtest) {
  const raw = metric.raw(results);
  return h("div", { class: "stat", id: `stat-${metric.key}` },
    h("div", { class: "label" }, metric.label),
    h("div", { class: ["value", metric.sign?.(results)], dataset: { raw: raw == null ? "" : String(raw) } }, metric.text(results, backtest)));
}

/** One figure as a table cell (the comparison). */
export function metricText(metric, results, backtest) {
  return h("span", { class: metric.sign?.(results) || "", dataset: { raw: metric.raw(results) == null ? "" : String(metric.raw(results)) } }, metric.text(results, backtest));
}

/** Queued and running backtests can still change (and be canceled). */
export const isActive = (status) => status === "queued" || status === "running";

/** A progress bar (0–1) with its percentage as text. */
export function progressBar(backtest) {
  const p = Math.max(0, Math.min(1, Number(backtest.progress) || 0));
  return h("span", { class: "progress", dataset: { progress: String(p), status: backtest.status } },
    h("progress", { max: "1", value: String(p), "aria-label": `Progress of ${backtest.id}` }),
    " ", h("span", { class: "muted" }, backtest.status === "completed" ? "done" : fmt.pct(p * 100, { signed: false })));
}
