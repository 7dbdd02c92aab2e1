// Charts with TradingView's lightweight-charts (pinned in package.json, served by the host from /vendor; no CDN).
// Loaded on first use, so the rest of the console works when the file is missing.
import * as fmt from "./format.js";

let library = null;
export async function load() {
  library ??= import("/vendor/lightweight-charts.mjs").catch(() => null);
  return library;
}

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const seconds = (iso) => Math.floor(new Date(iso).getTime() / 1000);

export function base(lc, container, priceFormatter) {
  return lc.createChart(container, {
    autoSize: true,
    // The library's own logo injects a <style> element, which the strict CSP refuses: the console credits TradingView
    // with a plain link next to each chart instead (attribution()), as the library's NOTICE asks.
    layout: { background: { type: lc.ColorType.Solid, color: css("--panel") }, textColor: css("--text"), panes: { separatorColor: css("--line") }, attributionLogo: false },
    grid: { vertLines: { color: css("--line") }, horzLines: { color: css("--line") } },
    rightPriceScale: { borderColor: css("--line") },
    timeScale: { borderColor: css("--line"), timeVisible: true, secondsVisible: false, tickMarkFormatter: (t) => fmt.chartTime(t) },
    localization: { timeFormatter: (t) => fmt.time(t * 1000), priceFormatter },
  });
}

/** The credit lightweight-charts' licence asks for, as a link under the chart. */
export function attribution() {
  const a = document.createElement("a");
  a.href = "https://www.tradingview.com/";
  a.rel = "noopener noreferrer";
  a.target = "_blank";
  a.className = "attribution";
  a.textContent = "Charting by TradingView";
  return a;
}

const LINE_COLORS = ["#e3a008", "#7c3aed", "#0ea5e9", "#db2777"];

/** A candle chart of one symbol with the strategy's indicator lines (overlays on the price, oscillators below) and entry/exit markers. */
export async function candleChart(container, view) {
  const lc = await load();
  if (!lc) { return null; }
  const symbol = view.symbol;
  const chart = base(lc, container, (p) => fmt.price(symbol, p));
  const candles = chart.addSeries(lc.CandlestickSeries, {
    upColor: css("--pos"), downColor: css("--neg"), wickUpColor: css("--pos"), wickDownColor: css("--neg"), borderVisible: false,
  });
  const markers = lc.createSeriesMarkers(candles, []);
  const lines = new Map();
  const update = (v) => {
    candles.setData(v.candles.map((c) => ({ time: seconds(c.time), open: c.open, high: c.high, low: c.low, close: c.close })));
    v.indicators.forEach((ind, i) => {
      let series = lines.get(ind.name);
      if (!series) {
        const pane = ind.pane === "oscillator" ? 1 : 0;
        series = chart.addSeries(lc.LineSeries, { color: LINE_COLORS[i % LINE_COLORS.length], lineWidth: 1.5, title: ind.name, priceLineVisible: false, lastValueVisible: true }, pane);
        for (const level of ind.levels) { series.createPriceLine({ price: level, color: css("--muted"), lineWidth: 1, lineStyle: lc.LineStyle.Dashed, axisLabelVisible: true, title: "" }); }
        lines.set(ind.name, series);
      }
      series.setData(ind.points.map((p) => ({ time: seconds(p.time), value: p.value })));
    });
    markers.setMarkers(v.markers.map((m) => m.kind === "entry"
      ? { time: seconds(m.time), position: "belowBar", color: css("--pos"), shape: "arrowUp", text: "buy " + fmt.price(symbol, m.price) }
      : { time: seconds(m.time), position: "aboveBar", color: css("--neg"), shape: "arrowDown", text: `sell ${fmt.price(symbol, m.price)}${m.exitReason ? " · " + m.exitReason : ""}` }));
  };
  update(view);
  chart.timeScale().fitContent();
  return { update, remove: () => chart.remove() };
}

/** An equity curve (area) from [{ at, equity }]; update(points) redraws it with new points. */
export async function equityChart(container, points, currency) {
  const lc = await load();
  if (!lc) { return null; }
  const chart = base(lc, container, (v) => fmt.money(v, currency));
  const series = chart.addSeries(lc.AreaSeries, { lineColor: css("--accent"), topColor: css("--accent"), bottomColor: "rgba(0,0,0,0)", lineWidth: 2 });
  const update = (curve) => {
    const data = [];
    for (const p of curve) {
      const t = seconds(p.at);
      if (data.length && data[data.length - 1].time >= t) { data[data.length - 1].value = p.equity; } else { data.push({ time: t, value: p.equity }); }
    }
    series.setData(data);
  };
  update(points);
  chart.timeScale().fitContent();
  return { update, remove: () => chart.remove() };
}
