// One engine: its actions, a candle chart per symbol with entries, exits and the strategy's lines, its trades (open
// with a Close button, closed with exit and reason), a force-entry form, and its performance.
import { h, replace, field, showFieldErrors } from "../dom.js";
import { get, post, enc } from "../api.js";
import * as fmt from "../format.js";
import * as store from "../store.js";
import { can } from "../auth.js";
import { badge, problemBox, notAvailable, confirmDialog, table, td, pnlCell, signed } from "../ui.js";
import { actionBar, actionError } from "../actions.js";
import { stateNotes, currencyOf } from "./engines.js";
import { candleChart, equityChart, attribution, load as loadCharts } from "../chart.js";

const CHART_REFRESH_MS = 15000;
const TRADES_REFRESH_MS = 5000;
const PERFORMANCE_REFRESH_MS = 15000;

/** A fresh Idempotency-Key (random, 128 bits, hex): crypto.getRandomValues works on plain HTTP too, randomUUID does not. */
function requestKey() {
  return "console-" + [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function render(root, _params, { id }) {
  const timers = [];
  const charts = new Set();
  let alive = true;
  const dispose = (c) => { if (c && charts.delete(c)) { c.remove(); } };
  const head = h("div", { class: "view-head" });
  const notes = h("div", { id: "engine-notes" });
  const chartBox = h("section", { id: "chart-section", "aria-labelledby": "chart-h" });
  const tradesBox = h("section", { id: "trades", "aria-labelledby": "trades-h" });
  const entryBox = h("section", { id: "force-entry", "aria-labelledby": "entry-h" });
  const perfBox = h("section", { id: "performance", "aria-labelledby": "perf-h" });
  replace(root, head, notes, chartBox, tradesBox, entryBox, perfBox);
  const lastPrice = new Map(); // symbol → latest price seen on the chart

  function drawHead() {
    const s = store.engines.get(id);
    const c = store.connections.get(id);
    replace(head,
      h("div", {}, h("h1", {}, c?.name ?? id, " ", s ? badge(s.state) : null),
        h("p", { class: "muted" }, [id, c ? `${c.exchange} · ${c.symbols.join(", ")} · preset ${c.presetId ?? "default"}` : null,
          s?.since ? `since ${fmt.time(s.since)}` : null].filter(Boolean).join(" · "))),
      h("div", {}, h("a", { href: `#/engines/${enc(id)}/inspect`, class: "button secondary" }, "Inspect"), " ",
        can("admin") ? h("a", { href: `#/connections/${enc(id)}`, class: "button secondary" }, "Edit connection") : null));
    replace(notes, s ? [actionBar(s, { includeDelete: false }), stateNotes(s), actionError(id)]
      : store.loadState().done ? problemBox({ title: "Engine not found", detail: `There is no connection '${id}'.` }) : h("p", {}, "Loading…"));
  }

  // Chart: one symbol at a time, chosen with buttons; refreshed every 15 s.
  let symbol = null;
  let chart = null;
  async function drawChart() {
    const c = store.connections.get(id);
    if (!c) { return; }
    symbol ??= c.symbols[0];
    const picker = h("div", { class: "symbols", role: "group", "aria-label": "Symbol" }, c.symbols.map((sym) =>
      h("button", { type: "button", "aria-pressed": String(sym === symbol), dataset: { symbol: sym }, onclick: () => { symbol = sym; dispose(chart); chart = null; drawChart(); } }, sym)));
    const holder = h("div", { class: "chart", id: "candles", role: "img", "aria-label": `${symbol} one-minute candles with entries and exits` });
    const legend = h("div", { class: "legend", id: "chart-legend" });
    const error = h("div");
    replace(chartBox, h("h2", { id: "chart-h" }, "Chart"), picker, legend, holder, error, attribution());
    await refreshChart(holder, legend, error);
  }
  async function refreshChart(holder, legend, error) {
    const asked = symbol;
    const r = await get(`/api/engines/${enc(id)}/candles?symbol=${enc(asked)}&limit=180`);
    if (!alive || asked !== symbol || !holder.isConnected) { return; } // the view or the symbol changed meanwhile
    if (!r.ok) {
      replace(error, r.routeMissing ? notAvailable("The candle chart") : problemBox(r.problem, { onRetry: () => refreshChart(holder, legend, error) }));
      return;
    }
    replace(error);
    const view = r.data;
    const last = view.candles[view.candles.length - 1];
    if (last) { lastPrice.set(view.symbol, last.close); }
    replace(legend, `${view.strategy} (${view.presetId})`, view.indicators.map((i) => h("span", {}, i.name)),
      h("span", {}, `${view.markers.filter((m) => m.kind === "entry").length} entries, ${view.markers.filter((m) => m.kind === "exit").length} exits shown`),
      last ? h("span", {}, "last ", fmt.price(view.symbol, last.close), " ", fmt.quoteOf(view.symbol)) : null);
    if (chart) { chart.update(view); } else {
      const made = await candleChart(holder, view);
      if (!made) { replace(holder, notAvailable("The chart library")); return; }
      if (!alive || asked !== symbol) { made.remove(); return; }
      chart = made;
      charts.add(chart);
      holder.dataset.ready = "true";
    }
    holder.dataset.markers = String(view.markers.length);
    holder.dataset.indicators = view.indicators.map((i) => i.name).join(",");
  }

  // Trades: open and closed, newest first.
  async function drawTrades() {
    const r = await get(`/api/engines/${enc(id)}/positions?top=200`);
    if (!r.ok) { replace(tradesBox, h("h2", { id: "trades-h" }, "Trades"), problemBox(r.problem, { onRetry: drawTrades })); return; }
    const positions = r.data.positions;
    const open = positions.filter((p) => p.status === "open");
    // Current prices of symbols the chart does not show: the minute in progress of each.
    await Promise.all([...new Set(open.map((p) => p.symbol))].filter((sym) => sym !== symbol || !lastPrice.has(sym)).map(async (sym) => {
      const c = await get(`/api/engines/${enc(id)}/candles?symbol=${enc(sym)}&limit=1`);
      if (c.ok && c.data.candles.length) { lastPrice.set(sym, c.data.candles[c.data.candles.length - 1].close); }
    }));
    const closed = positions.filter((p) => p.status !== "open");
    const currency = currencyOf(store.connections.get(id));
    replace(tradesBox, h("h2", { id: "trades-h" }, "Trades"),
      h("h3", {}, `Open (${open.length})`),
      open.length ? table(["Symbol", "Opened", "Quantity", "Entry", "Current", "PnL", "Duration", ""], open.map((p) => openRow(p, currency)), { className: "cards trades-open" })
        : h("p", { class: "empty" }, "No open positions."),
      h("h3", {}, `Closed (${closed.length})`),
      closed.length ? table(["Symbol", "Opened", "Closed", "Quantity", "Entry", "Exit", "PnL", "Duration", "Exit reason"], closed.map((p) => closedRow(p, currency)), { className: "cards trades-closed" })
        : h("p", { class: "empty" }, "No closed trades yet."));
  }
  function openRow(p, currency) {
    const current = lastPrice.get(p.symbol);
    const pnl = current != null ? p.quantity * current - (p.quantity * p.entryPrice + p.entryFee) : null;
    const cost = p.quantity * p.entryPrice + p.entryFee;
    const err = h("div");
    return h("tr", { dataset: { position: p.id } },
      td("Symbol", p.symbol), td("Opened", fmt.time(p.openedAt)), td("Quantity", fmt.qty(p.quantity)),
      td("Entry", fmt.price(p.symbol, p.entryPrice)), td("Current", current != null ? fmt.price(p.symbol, current) : "–"),
      td("PnL", pnl != null ? pnlCell(pnl, (pnl / cost) * 100, currency) : "–"),
      td("Duration", fmt.since(p.openedAt)),
      td("", can("operator") ? h("button", { type: "button", class: "danger", dataset: { close: p.id }, "aria-label": `Close ${p.symbol} position`, onclick: async () => {
        const ok = await confirmDialog({ title: `Close the ${p.symbol} position?`, message: `Sells ${fmt.qty(p.quantity)} ${p.symbol} at market.`, confirmLabel: "Close position", danger: true });
        if (!ok) { return; }
        const r = await post(`/api/positions/${enc(id)}/${enc(p.id)}/close`);
        if (r.ok) { tradesChanged(); } else { replace(err, problemBox(r.problem, { onDismiss: () => replace(err) })); }
      } }, "Close") : null, err));
  }
  function closedRow(p, currency) {
    const cost = p.quantity * p.entryPrice + p.entryFee;
    return h("tr", { dataset: { position: p.id } },
      td("Symbol", p.symbol), td("Opened", fmt.time(p.openedAt)), td("Closed", fmt.time(p.closedAt)), td("Quantity", fmt.qty(p.quantity)),
      td("Entry", fmt.price(p.symbol, p.entryPrice)), td("Exit", fmt.price(p.symbol, p.exitPrice)),
      td("PnL", pnlCell(p.realizedPnl, cost ? (p.realizedPnl / cost) * 100 : null, currency)),
      td("Duration", fmt.duration(new Date(p.closedAt) - new Date(p.openedAt))), td("Exit reason", p.exitReason ?? "–"));
  }

  // Force entry: POST /api/engines/{id}/positions { symbol, quoteAmount? } with an Idempotency-Key. An order that got no
  // definite answer (the server did not answer, or 503) is retried with the same key: the same key is the same order,
  // so a retry can never open a second position. A definite answer (opened, or refused) ends the key.
  function drawEntry() {
    const c = store.connections.get(id);
    if (!c || !can("operator")) { replace(entryBox); return; }
    const symbolSelect = h("select", { name: "symbol", id: "entry-symbol" }, c.symbols.map((s) => h("option", { value: s }, s)));
    const amount = h("input", { name: "quoteAmount", id: "entry-amount", type: "number", min: "0", step: "any", inputmode: "decimal", placeholder: "preset's size" });
    const result = h("div", { id: "entry-result", "aria-live": "polite" });
    const submit = h("button", { type: "submit" }, "Open position at market");
    const form = h("form", { class: "edit", id: "entry-form" },
      field("Symbol", symbolSelect), field(`Amount (${fmt.quoteOf(c.symbols[0]) || "quote"})`, amount, "Empty: the preset's position size."),
      h("div", { class: "buttons wide" }, submit), h("div", { class: "wide" }, result));
    let unanswered = null; // { key, sent } of the order last sent without a definite answer
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { symbol: symbolSelect.value };
      if (amount.value !== "") { body.quoteAmount = Number(amount.value); }
      const sent = JSON.stringify(body);
      const key = unanswered?.sent === sent ? unanswered.key : requestKey();
      unanswered = { key, sent };
      submit.disabled = true;
      replace(result, h("p", { class: "muted" }, "Sending the order…"));
      const r = await post(`/api/engines/${enc(id)}/positions`, body, { headers: { "Idempotency-Key": key } });
      submit.disabled = false;
      if (r.ok) {
        unanswered = null;
        showFieldErrors(form, {});
        const p = r.data;
        replace(result, h("p", { class: "notice ok", dataset: { opened: p.id } },
          `Opened ${p.symbol} position ${p.id}: ${fmt.qty(p.quantity)} at ${fmt.price(p.symbol, p.entryPrice)} ${fmt.quoteOf(p.symbol)}.`));
        tradesChanged();
        return;
      }
      const definite = r.status !== 0 && r.status !== 503;
      if (definite) { unanswered = null; }
      const rest = showFieldErrors(form, r.problem.errors);
      replace(result, problemBox({ ...r.problem, errors: rest.length ? Object.fromEntries(rest.map((x) => [x.split(":")[0], x.slice(x.indexOf(":") + 2)])) : undefined },
        definite ? {} : { onRetry: () => form.requestSubmit(), retryLabel: "Retry the same order" }));
    });
    replace(entryBox, h("h2", { id: "entry-h" }, "Force entry"),
      h("p", { class: "hint" }, "Opens a position now, on a Running or Paused engine, within the preset's open-position limit and the balance; the preset's exits then manage it."),
      form);
  }

  // Performance: GET /api/engines/{id}/performance, again every 15 s and whenever a trade opens or closes here.
  const perfHead = h("p", { class: "muted", id: "perf-asof" });
  const perfStats = h("div", { class: "stats", id: "perf-stats" });
  const equity = h("div", { class: "chart small", id: "equity", role: "img", "aria-label": "Equity curve: realized, then the unrealized PnL now" });
  const perfDaily = h("div", { id: "perf-daily" });
  const perfError = h("div");
  let equityCurve = null;
  let perfAsked = 0;
  replace(perfBox, h("h2", { id: "perf-h" }, "Performance"), perfError, perfHead, perfStats, h("h3", {}, "Equity curve"), equity,
    h("h3", {}, "Daily profit (UTC days)"), perfDaily);
  async function drawPerformance() {
    const asked = ++perfAsked;
    const r = await get(`/api/engines/${enc(id)}/performance`);
    if (!alive || asked !== perfAsked) { return; } // a newer read is on its way
    if (!r.ok) { replace(perfError, problemBox(r.problem, { onRetry: drawPerformance })); return; }
    replace(perfError);
    const p = r.data;
    perfBox.dataset.asOf = p.asOf;
    const currency = currencyOf(store.connections.get(id));
    const stat = (key, label, value, cls) => h("div", { class: "stat", dataset: { stat: key } }, h("div", { class: "label" }, label), h("div", { class: "value " + (cls || "") }, value));
    const sign = (v) => (v > 0 ? "pos" : v < 0 ? "neg" : "");
    const today = (p.daily ?? []).find((d) => d.date === fmt.utcToday()) ?? { profit: 0, trades: 0 };
    replace(perfHead, "as of ", fmt.time(p.asOf), ` · ${p.trades} closed trade${p.trades === 1 ? "" : "s"} still in the trading table`);
    replace(perfStats,
      stat("total", "Total profit", fmt.money(p.totalProfit, currency, { signed: true }), sign(p.totalProfit)),
      stat("total-pct", "Total profit %", fmt.pct(p.totalProfitPct), sign(p.totalProfitPct)),
      stat("today", "Today (UTC)", `${fmt.money(today.profit, currency, { signed: true })} · ${today.trades} trade${today.trades === 1 ? "" : "s"}`, sign(today.profit)),
      stat("realized", "Realized", fmt.money(p.realizedPnl, currency, { signed: true }), sign(p.realizedPnl)),
      stat("unrealized", "Unrealized", fmt.money(p.unrealizedPnl, currency, { signed: true }), sign(p.unrealizedPnl)),
      stat("trades", "Trades", `${p.trades} (${p.wins} W · ${p.draws} D · ${p.losses} L)`),
      stat("win-rate", "Win rate", p.winRate == null ? "–" : fmt.pct(p.winRate * 100, { signed: false })),
      stat("profit-factor", "Profit factor", p.profitFactor == null ? (p.trades && !p.losses ? "no losing trade" : "–") : fmt.ratio(p.profitFactor)),
      stat("expectancy", "Expectancy", fmt.money(p.expectancy, currency, { signed: true }), sign(p.expectancy)),
      stat("drawdown", "Max drawdown", `${fmt.money(p.maxDrawdown, currency)} (${fmt.pct(p.maxDrawdownPct, { signed: false })})`),
      stat("best-worst", "Best / worst trade", `${fmt.money(p.bestTrade?.profit, currency, { signed: true })} / ${fmt.money(p.worstTrade?.profit, currency, { signed: true })}`),
      stat("duration", "Average duration", p.avgDurationSeconds == null ? "–" : fmt.duration(p.avgDurationSeconds * 1000)));
    replace(perfDaily, (p.daily ?? []).length
      ? table(["Day", "Profit", "Trades"], [...p.daily].reverse().map((d) => h("tr", { dataset: { day: d.date } }, td("Day", fmt.day(d.date)),
        td("Profit", signed(d.profit, fmt.money(d.profit, currency, { signed: true }))), td("Trades", String(d.trades)))), { className: "cards daily" })
      : h("p", { class: "empty" }, "No closed trades yet."));
    const points = p.equityCurve ?? [];
    equity.dataset.points = String(points.length);
    if (equityCurve) { equityCurve.update(points); return; }
    const made = await equityChart(equity, points, currency);
    if (!made) { replace(equity, notAvailable("The chart library")); return; }
    if (!alive || equityCurve) { made.remove(); return; }
    equityCurve = made;
    charts.add(made);
    equity.dataset.ready = "true";
  }

  /** A trade opened or closed here: the lists and the figures follow at once. */
  function tradesChanged() { drawTrades(); drawPerformance(); }

  drawHead();
  const offStore = store.onChange(drawHead);
  let started = false;
  const begin = () => {
    if (started || !store.connections.get(id)) { return; }
    started = true;
    loadCharts();
    drawChart().then(drawTrades);
    drawEntry();
    drawPerformance();
    timers.push(setInterval(() => { const holder = document.getElementById("candles"); if (holder && chart) { refreshChart(holder, document.getElementById("chart-legend"), holder.nextSibling ?? h("div")); } }, CHART_REFRESH_MS));
    timers.push(setInterval(drawTrades, TRADES_REFRESH_MS));
    timers.push(setInterval(drawPerformance, PERFORMANCE_REFRESH_MS));
  };
  begin();
  const offBegin = store.onChange(begin);
  return () => { alive = false; offStore(); offBegin(); timers.forEach(clearInterval); [...charts].forEach(dispose); };
}

