// Drives the console's Backtests view in Debian's Chromium against a real host, under the host's strict CSP (checked on
// the page's response): start backtests from the form, watch the progress bar, read the report and its charts, compare
// two, cancel a long one, the server's validation next to the fields, and a viewer's read-only view. Markup in a preset's
// name must show as text. Prints "step: …" lines the xunit test checks; saves screenshots at 1400 px and 390 px.
// Usage: node backtests.mjs <baseUrl> <outDir> <viewerKey> <operatorKey> <adminKey>
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { withBrowser, step, openConsole } from "./browser.mjs";

const [baseUrl, outDir, viewerKey, operatorKey, adminKey] = process.argv.slice(2);
const MARKUP = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
const WINDOW = { from: "2025-02-03T00:00", to: "2025-02-03T06:00" };
mkdirSync(outDir, { recursive: true });
const fail = (message) => { throw new Error(message); };
const api = async (method, path, key, body) => {
  const r = await fetch(new URL(path, baseUrl), {
    method, headers: { "X-Api-Key": key, ...(body ? { "Content-Type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
};

await withBrowser(8 * 60 * 1000, async (browser) => {
  const problems = [];
  const pages = [];

  async function open(key, width = 1400) {
    const { context, page } = await openConsole(browser, baseUrl, key, problems, { width });
    await page.waitForSelector("#nav a[href='#/backtests']", { timeout: 15000 });
    pages.push(page);
    return { context, page };
  }
  // Before a page goes: what it recorded (CSP violations, markup that ran) is judged.
  async function close(page) {
    await noScriptRan(page, page.url());
    const made = await page.$$eval("[onerror], script:not([src])", (es) => es.length);
    if (made) { fail(`${made} elements were made from data at ${page.url()}`); }
    problems.push(...(await page.evaluate(() => window.__violations)).map((v) => `csp: ${v}`));
    await page.context().close();
  }
  const go = async (page, hash) => { await page.evaluate((h) => { location.hash = h; }, hash); };
  const shot = async (page, name) => { await page.screenshot({ path: join(outDir, name), fullPage: true }); };
  const noScriptRan = async (page, where) => {
    const ran = await page.evaluate(() => window.__xss);
    if (ran !== undefined) { fail(`markup ran as script in ${where}: ${ran}`); }
  };
  // The console's own formatting, for comparing what the page shows with the API's numbers.
  const format = (page, fn, ...args) => page.evaluate(async ([f, a]) => (await import("/console/format.js"))[f](...a), [fn, args]);
  const raw = (page, key) => page.getAttribute(`#stat-${key} .value`, "data-raw");
  const text = async (page, selector) => (await page.textContent(selector)).trim();

  async function startFromForm(page, { presetId, symbols, from, to }) {
    await go(page, "#/backtests/new");
    await page.waitForSelector("#backtest-form #f-presetId");
    await page.selectOption("#f-presetId", presetId);
    await page.fill("#f-symbols", symbols);
    await page.fill("#f-from", from);
    await page.fill("#f-to", to);
    await page.fill("#f-startingBalance", "");
    await page.fill("#f-feeRate", "");
    await page.click("#backtest-form button[type=submit]");
    await page.waitForFunction(() => /^#\/backtests\/bt-[0-9a-f]+$/.test(location.hash), null, { timeout: 15000 });
    return page.evaluate(() => location.hash.split("/")[2]);
  }

  try {
    // A preset with markup in its name, trading often (as an admin would make it).
    const preset = await api("POST", "/api/presets", adminKey, {
      id: "bt-markup", name: MARKUP, strategy: "rsi-reversion", rsiPeriod: 14, rsiOversold: 45, rsiOverbought: 55,
      positionSizeQuote: 500, maxOpenPositions: 2, stopLossPct: 1, takeProfitPct: 1,
    });
    if (preset.status !== 201) { fail(`preset: ${preset.status} ${JSON.stringify(preset.body)}`); }

    // --- Operator: the list, the form and its validation --------------------------------------------------------
    const { page } = await open(operatorKey);
    await go(page, "#/backtests");
    await page.waitForFunction(() => document.querySelector("#backtests-summary")?.textContent.startsWith("0 backtests"), null, { timeout: 10000 });
    if (!await page.isVisible("#new-backtest")) { fail("an operator is not offered New backtest"); }
    if (!await page.isVisible("text=No backtests yet")) { fail("the empty list says nothing"); }
    step("operator signed in; the backtests view is empty and offers New backtest");

    await page.click("#new-backtest");
    await page.waitForSelector("#backtest-form #f-presetId");
    const options = await page.$$eval("#f-presetId option", (os) => os.map((o) => o.textContent));
    if (!options.includes(`${MARKUP} (bt-markup)`)) { fail(`the preset select does not show the name as text: ${options}`); }
    await page.fill("#f-symbols", "btc, ETHUSDT");
    await page.fill("#f-from", WINDOW.to);
    await page.fill("#f-to", WINDOW.from);
    await page.fill("#f-startingBalance", "-5");
    await page.fill("#f-feeRate", "0.5");
    await page.click("#backtest-form button[type=submit]");
    for (const field of ["symbols", "to", "startingBalance", "feeRate"]) {
      await page.waitForSelector(`#f-${field}-error:not(:empty)`, { timeout: 5000 });
      if (await page.getAttribute(`#f-${field}`, "aria-invalid") !== "true") { fail(`${field} is not marked invalid`); }
    }
    if (!(await text(page, "#f-symbols-error")).includes("USDT")) { fail(`symbols error: ${await text(page, "#f-symbols-error")}`); }
    if ((await api("GET", "/api/backtests", operatorKey)).body.count !== 0) { fail("an invalid form started a backtest"); }
    if (!page.url().endsWith("#/backtests/new")) { fail(`an invalid form left the page: ${page.url()}`); }
    await shot(page, "backtest-new-1400.png");
    step("the server's validation errors show next to their fields and nothing starts");

    // --- A backtest from the form: its page, progress to done, the report -----------------------------------------
    const first = await startFromForm(page, { presetId: "default", symbols: "BTCUSDT, ETHUSDT", ...WINDOW });
    await page.waitForSelector("#backtest-status .progress", { timeout: 10000 });
    await page.waitForSelector("#backtest-status .progress[data-status=completed]", { timeout: 90000 });
    const bar = await page.$eval("#backtest-status progress", (p) => p.value);
    if (bar !== 1 || !(await text(page, "#backtest-status .progress")).includes("done")) { fail(`the bar did not reach done: ${bar}`); }
    step("a backtest started from the form opens its page, whose progress bar reaches done");

    await page.waitForSelector("#figures .stats", { timeout: 10000 });
    const one = (await api("GET", `/api/backtests/${first}`, operatorKey)).body;
    const r = one.results;
    if (r.trades < 1) { fail("the backtest made no trades; the report cannot be checked"); }
    const expect = async (key, value, shown) => {
      const got = await raw(page, key);
      if (got !== String(value)) { fail(`${key}: the page keeps ${got}, the API says ${value}`); }
      const onPage = await text(page, `#stat-${key} .value`);
      if (shown !== undefined && onPage !== shown) { fail(`${key}: the page shows "${onPage}", expected "${shown}"`); }
    };
    await expect("trades", r.trades, String(r.trades));
    await expect("totalProfit", r.totalProfit, await format(page, "money", r.totalProfit, "USDT", { signed: true }));
    await expect("totalProfitPct", r.totalProfitPct, await format(page, "pct", r.totalProfitPct));
    await expect("expectancy", r.expectancy, await format(page, "money", r.expectancy, "USDT", { signed: true }));
    await expect("avgProfitPct", r.avgProfitPct, await format(page, "pct", r.avgProfitPct));
    await expect("maxDrawdown", r.maxDrawdown, await format(page, "money", r.maxDrawdown, "USDT"));
    await expect("winDrawLoss", `${r.wins}/${r.draws}/${r.losses}`, `${r.wins} / ${r.draws} / ${r.losses}`);
    await expect("exposure", r.exposure, await format(page, "pct", r.exposure * 100, { signed: false }));
    await expect("buyAndHold", r.buyAndHold.profit);
    for (const key of ["cagr", "profitFactor", "sharpe", "sortino", "calmar", "maxDrawdownPct", "maxDrawdownSpan", "bestTrade", "worstTrade", "avgDuration", "exitReasons", "winRate"]) {
      if (!await page.isVisible(`#stat-${key}`)) { fail(`the report does not show ${key}`); }
    }
    for (const [reason, n] of Object.entries(r.exitReasons)) {
      const cell = await text(page, `#exit-reasons tr[data-reason="${reason}"] td[data-label=Trades]`);
      if (cell !== String(n)) { fail(`exit reason ${reason}: ${cell}, the API says ${n}`); }
    }
    const rows = await page.$$eval("#trades .trade-list tbody tr", (rs) => rs.length);
    if (rows !== Math.min(200, r.tradeList.length)) { fail(`${rows} trade rows for ${r.tradeList.length} trades`); }
    step("the report's figures equal the API's");

    await page.waitForSelector("#equity[data-ready=true] canvas", { timeout: 15000 });
    if (await page.getAttribute("#equity", "data-points") !== String(r.equityCurve.length)) { fail("the equity chart does not draw every point"); }
    await page.waitForSelector("#candles[data-ready=true][data-symbol=BTCUSDT] canvas", { timeout: 15000 });
    const btc = (await api("GET", `/api/backtests/${first}/candles?symbol=BTCUSDT`, operatorKey)).body;
    const drawn = Number(await page.getAttribute("#candles", "data-markers"));
    if (drawn < 2 || drawn !== btc.markers.length) { fail(`${drawn} markers drawn, the API has ${btc.markers.length}`); }
    if (Number(await page.getAttribute("#candles", "data-bars")) !== btc.candles.length || btc.candles.length > 2000) { fail("the bars drawn are not the API's"); }
    await shot(page, "backtest-1400.png");
    await page.click("#chart-section .symbols button[data-symbol=ETHUSDT]");
    await page.waitForSelector("#candles[data-ready=true][data-symbol=ETHUSDT] canvas", { timeout: 15000 });
    step("the equity chart and the candle chart with entry and exit markers are drawn, per symbol");

    // --- A second preset; the markup in its name ----------------------------------------------------------------
    const second = await startFromForm(page, { presetId: "bt-markup", symbols: "BTCUSDT", ...WINDOW });
    await page.waitForSelector("#backtest-status .progress[data-status=completed]", { timeout: 90000 });
    await page.waitForSelector("#figures .stats", { timeout: 10000 });
    const title = await page.textContent("h1 .preset-name");
    if (title !== MARKUP) { fail(`the preset name is not shown as text: ${title}`); }
    await noScriptRan(page, "the report");
    step("a second preset's backtest completes; the markup in its name is shown as text");

    // --- The list and the comparison ------------------------------------------------------------------------------
    await go(page, "#/backtests");
    for (const id of [first, second]) {
      await page.waitForSelector(`tr[data-backtest="${id}"][data-status=completed] .progress[data-progress="1"]`, { timeout: 10000 });
    }
    if (await page.textContent(`tr[data-backtest="${second}"] .preset-name`) !== MARKUP) { fail("the list does not show the preset name as text"); }
    await page.check(`input[data-compare="${first}"]`);
    if (!await page.isDisabled("#compare")) { fail("Compare is offered for one backtest"); }
    await page.check(`input[data-compare="${second}"]`);
    await page.click("#compare");
    await page.waitForFunction((ids) => location.hash === `#/backtests/compare?ids=${ids}`, `${first},${second}`, { timeout: 5000 });
    const two = (await api("GET", `/api/backtests/${second}`, operatorKey)).body;
    const checkCompare = async () => {
      await page.waitForSelector("#compare-equity[data-ready=true][data-series='2'] canvas", { timeout: 15000 });
      for (const b of [one, two]) {
        for (const [metric, value] of [["totalProfit", b.results.totalProfit], ["trades", b.results.trades], ["maxDrawdown", b.results.maxDrawdown]]) {
          const got = await page.getAttribute(`table.compare tr[data-metric=${metric}] td[data-backtest="${b.id}"] span`, "data-raw");
          if (got !== String(value)) { fail(`compare ${b.id} ${metric}: ${got}, the API says ${value}`); }
        }
      }
      const columns = await page.$$eval("table.compare thead th[data-backtest]", (ths) => ths.length);
      if (columns !== 2) { fail(`${columns} columns compared`); }
      const metrics = await page.$$eval("table.compare tbody tr[data-metric]", (trs) => trs.length);
      if (metrics < 20) { fail(`only ${metrics} figures compared`); }
    };
    await checkCompare();
    await page.reload();
    await page.waitForSelector("#nav a[href='#/backtests']", { timeout: 15000 });
    await checkCompare();
    await page.click("#equity-pct");
    await page.waitForSelector("#compare-equity[data-ready=true] canvas", { timeout: 15000 });
    await shot(page, "compare-1400.png");
    await noScriptRan(page, "the comparison");
    step("the list shows both done; two are compared side by side, figures in one table and equity curves overlaid, at a URL that reloads");

    // --- A long one: live progress in the list, then cancel ---------------------------------------------------------
    const long = await startFromForm(page, { presetId: "default", symbols: "BTCUSDT", from: "2024-01-01T00:00", to: "2024-12-31T00:00" });
    await go(page, "#/backtests");
    const progressOf = () => page.getAttribute(`tr[data-backtest="${long}"] .progress`, "data-progress").then(Number).catch(() => 0);
    await page.waitForSelector(`tr[data-backtest="${long}"][data-status=running]`, { timeout: 15000 });
    await page.waitForFunction((id) => Number(document.querySelector(`tr[data-backtest="${id}"] .progress`)?.dataset.progress) > 0, long, { timeout: 30000 });
    const seen = await progressOf();
    await page.waitForFunction(([id, p]) => Number(document.querySelector(`tr[data-backtest="${id}"] .progress`)?.dataset.progress) > p, [long, seen], { timeout: 10000 });
    const later = await progressOf();
    if (!(later > seen && later < 1)) { fail(`the progress bar did not move: ${seen} → ${later}`); }
    console.log(`long backtest progress ${seen} → ${later}`);
    await shot(page, "backtests-1400.png");
    await page.click(`button[data-cancel="${long}"]`);
    await page.waitForSelector("dialog.confirm[open]");
    if (!(await page.textContent("dialog.confirm")).includes("Cancel backtest")) { fail("the dialog does not say what it does"); }
    await page.click("dialog.confirm button[value=ok]");
    await page.waitForSelector(`tr[data-backtest="${long}"]`, { state: "detached", timeout: 15000 });
    if ((await api("GET", `/api/backtests/${long}`, operatorKey)).status !== 404) { fail("the canceled backtest is still there"); }
    step("a long backtest's progress bar moves live in the list; Cancel asks in the dialog and removes it");
    await close(page);

    // --- Viewer ----------------------------------------------------------------------------------------------------
    const { page: viewer } = await open(viewerKey);
    await go(viewer, "#/backtests");
    await viewer.waitForSelector(`tr[data-backtest="${first}"]`, { timeout: 10000 });
    if (await viewer.$("#new-backtest") || await viewer.$("button[data-cancel]")) { fail("a viewer is offered start or cancel"); }
    if (!(await text(viewer, "#read-only")).includes("Read-only")) { fail("a viewer is not told why"); }
    await go(viewer, `#/backtests/${first}`);
    await viewer.waitForSelector("#figures .stats", { timeout: 10000 });
    if (await viewer.$("#cancel") || !await viewer.isVisible("#read-only")) { fail("a viewer's report offers cancel or says nothing"); }
    await go(viewer, "#/backtests/new");
    await viewer.waitForSelector("#backtest-form #f-presetId");
    if (await viewer.$("#backtest-form button[type=submit]") || !await viewer.isVisible("#read-only")) { fail("a viewer can submit the form"); }
    step("a viewer sees no start and no cancel, and is told why");
    await close(viewer);

    // --- 390 px ------------------------------------------------------------------------------------------------------
    const { page: narrow } = await open(operatorKey, 390);
    const fits = async (where) => {
      const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
      if (width > 392) { fail(`${where} is ${width} px wide at 390 px`); }
    };
    await go(narrow, "#/backtests");
    await narrow.waitForSelector(`tr[data-backtest="${first}"]`, { timeout: 10000 });
    await fits("the list");
    const cancel = await narrow.locator(`button[data-cancel="${first}"]`).boundingBox();
    if (!cancel || cancel.x < 0 || cancel.x + cancel.width > 390) { fail(`Delete is off screen at 390 px: ${JSON.stringify(cancel)}`); }
    await shot(narrow, "backtests-390.png");
    await go(narrow, `#/backtests/${second}`);
    await narrow.waitForSelector("#candles[data-ready=true] canvas", { timeout: 15000 });
    await narrow.waitForSelector("#equity[data-ready=true] canvas", { timeout: 15000 });
    await fits("the report");
    await shot(narrow, "backtest-390.png");
    await go(narrow, `#/backtests/compare?ids=${first},${second}`);
    await narrow.waitForSelector("#compare-equity[data-ready=true] canvas", { timeout: 15000 });
    await fits("the comparison");
    await shot(narrow, "compare-390.png");
    await go(narrow, "#/backtests/new");
    await narrow.waitForSelector("#backtest-form #f-presetId");
    await fits("the form");
    await shot(narrow, "backtest-new-390.png");
    step("at 390 px nothing scrolls sideways");

    const made = await narrow.$$eval("[onerror], script:not([src])", (es) => es.length);
    if (made) { fail(`${made} elements were made from data`); }
    await noScriptRan(narrow, "the form at 390 px");
    step("markup is text everywhere: no script ran, no element was made from it");

    await close(narrow);
    if (problems.length) { fail(`page problems:\n${problems.join("\n")}`); }
    step("no page error and no CSP violation");
  } catch (e) {
    let n = 0;
    for (const p of pages.filter((x) => !x.isClosed())) {
      await p.screenshot({ path: join(outDir, `failure-${++n}.png`), fullPage: true }).catch(() => {});
      console.log(`failure-${n}.png: ${p.url()}`);
    }
    if (problems.length) { console.log(problems.join("\n")); }
    throw e;
  }
});
