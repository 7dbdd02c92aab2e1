// Several equity curves on one chart (the comparison of backtests), each its own colour; lightweight-charts as in chart.js.
import { load, base } from "./chart.js";

/** Series colours, in order; the legend shows the same ones. */
export const COLORS = ["#1f6feb", "#e3a008", "#db2777", "#12733a", "#7c3aed", "#0ea5e9", "#b42318", "#6b7280"];

const seconds = (iso) => Math.floor(new Date(iso).getTime() / 1000);

/** curves: [{ title, points: [{ at, value }] }]; format: the price axis' formatter. Resolves to { remove } or null without the library. */
export async function overlayChart(container, curves, format) {
  const lc = await load();
  if (!lc) { return null; }
  const chart = base(lc, container, format);
  curves.forEach((curve, i) => {
    const series = chart.addSeries(lc.LineSeries, {
      color: COLORS[i % COLORS.length], lineWidth: 2, priceLineVisible: false, lastValueVisible: true,
      // Drawn on the canvas, never as markup.
      title: curve.title.length > 24 ? curve.title.slice(0, 23) + "…" : curve.title,
    });
    const data = [];
    for (const p of curve.points) {
      const t = seconds(p.at);
      if (data.length && data[data.length - 1].time >= t) { data[data.length - 1].value = p.value; } else { data.push({ time: t, value: p.value }); }
    }
    series.setData(data);
  });
  chart.timeScale().fitContent();
  return { remove: () => chart.remove() };
}
