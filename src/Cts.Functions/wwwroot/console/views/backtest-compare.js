// Backtests side by side (#/backtests/compare?ids=a,b): every figure of their reports in one table, one column each, and
// their equity curves overlaid (in quote, or as % of each one's starting balance).
import { h, svg, replace } from "../dom.js";
import { get, enc } from "../api.js";
import * as fmt from "../format.js";
import { badge, problemBox } from "../ui.js";
import { attribution, load as loadCharts } from "../chart.js";
import { overlayChart, COLORS } from "../equity-overlay.js";
import { METRICS, metricText, currencyOf, presetName, progressBar } from "./backtest-metrics.js";

const MAX = 8;

export function render(root, params) {
  const ids = [...new Set((params.get("ids") || "").split(",").map((s) => s.trim()).filter(Boolean))].slice(0, MAX);
  const body = h("div", { id: "compare-view" });
  replace(root, h("div", { class: "view-head" }, h("h1", {}, "Compare backtests"),
    h("a", { href: "#/backtests", class: "button secondary" }, "All backtests")), body);
  let chart = null;
  let alive = true;

  async function load() {
    if (ids.length < 2) {
      replace(body, h("p", { class: "notice" }, "Pick two or more backtests in the list to compare them."));
      return;
    }
    const answers = await Promise.all(ids.map((id) => get(`/api/backtests/${enc(id)}`)));
    if (!alive) { return; }
    const backtests = answers.filter((r) => r.ok).map((r) => r.data);
    const missing = ids.map((id, i) => [id, answers[i]]).filter(([, r]) => !r.ok).map(([id, r]) => [id, r.problem]);
    const currencies = new Set(backtests.map(currencyOf));
    const asPct = h("input", { type: "checkbox", id: "equity-pct", name: "equityPct", checked: currencies.size > 1 || new Set(backtests.map((b) => b.request.startingBalance)).size > 1 });
    const holder = h("div", { class: "chart", id: "compare-equity", role: "img", "aria-label": "Equity curves overlaid" });
    const legend = h("div", { class: "legend", id: "compare-legend" }, backtests.map((b, i) =>
      h("span", {}, svg("svg", { width: 12, height: 12, viewBox: "0 0 12 12", "aria-hidden": "true" }, svg("rect", { width: 12, height: 12, rx: 2, fill: COLORS[i % COLORS.length] })),
        " ", presetName(b), h("span", { class: "muted" }, ` (${b.id})`))));
    replace(body,
      missing.map(([id, problem]) => problemBox({ ...problem, title: `${id}: ${problem?.title ?? "not found"}` })),
      backtests.length ? comparison(backtests) : null,
      backtests.length ? h("section", { id: "compare-chart", "aria-labelledby": "compare-chart-h" },
        h("h2", { id: "compare-chart-h" }, "Equity curves"), legend,
        h("label", { class: "check" }, asPct, " As % of each one's starting balance"), holder, attribution()) : null);
    asPct.addEventListener("change", () => drawChart(holder, backtests, asPct.checked));
    await drawChart(holder, backtests, asPct.checked);
  }

  async function drawChart(holder, backtests, asPct) {
    chart?.remove();
    chart = null;
    const curves = backtests.map((b) => {
      const start = b.request.startingBalance;
      const points = (b.results?.equityCurve ?? []).map((p) => ({ at: p.at, value: asPct ? (p.equity / start - 1) * 100 : p.equity }));
      return { title: presetName(b), points };
    });
    const currency = currencyOf(backtests[0]);
    const made = await overlayChart(holder, curves, asPct ? (v) => fmt.pct(v) : (v) => fmt.money(v, currency));
    if (!alive) { made?.remove(); return; }
    if (!made) { replace(holder, h("p", { class: "notice" }, "The chart library is not available on this server.")); return; }
    chart = made;
    holder.dataset.ready = "true";
    holder.dataset.series = String(curves.filter((c) => c.points.length > 1).length);
  }

  function comparison(backtests) {
    const cell = (b, content) => h("td", { dataset: { backtest: b.id } }, content);
    const fact = (label, value) => h("tr", {}, h("th", { scope: "row" }, label), backtests.map((b) => cell(b, value(b))));
    return h("section", { id: "compare-figures", "aria-labelledby": "compare-figures-h" }, h("h2", { id: "compare-figures-h" }, "Figures"),
      h("div", { class: "table-wrap" }, h("table", { class: "compare" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Figure"), backtests.map((b, i) => h("th", { scope: "col", dataset: { backtest: b.id } },
          svg("svg", { width: 10, height: 10, viewBox: "0 0 10 10", "aria-hidden": "true" }, svg("rect", { width: 10, height: 10, rx: 2, fill: COLORS[i % COLORS.length] })), " ",
          h("a", { href: `#/backtests/${enc(b.id)}`, class: "preset-name" }, presetName(b)), h("div", { class: "muted" }, b.id), badge(b.status))))),
        h("tbody", {},
          fact("Symbols", (b) => b.request.symbols.join(", ")),
          fact("Window", (b) => `${fmt.time(b.request.from)} – ${fmt.time(b.request.to)}`),
          fact("Data", (b) => b.request.dataSource),
          fact("Starting balance", (b) => fmt.money(b.request.startingBalance, currencyOf(b))),
          METRICS.map((m) => h("tr", { dataset: { metric: m.key } }, h("th", { scope: "row" }, m.label),
            backtests.map((b) => cell(b, b.results ? metricText(m, b.results, b) : progressBar(b)))))))));
  }

  loadCharts();
  load();
  return () => { alive = false; chart?.remove(); };
}
