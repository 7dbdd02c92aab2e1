// Drives the operator console in Debian's Chromium against a real host, flow by flow, under the strict CSP of the
// sign-in contract (the host sends it on every page; the run checks it is there and that nothing violates it).
// Prints "step: …" lines the xunit test checks; saves screenshots at 1400 px and 390 px.
// Usage: node console.mjs <baseUrl> <outDir> <viewerKey> <operatorKey> <adminKey>
import { chromium } from "playwright-core";
import { openConsole } from "./browser.mjs";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [baseUrl, outDir, viewerKey, operatorKey, adminKey] = process.argv.slice(2);
const MARKUP = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
mkdirSync(outDir, { recursive: true });
const step = (name) => console.log(`step: ${name}`);
const fail = (message) => { throw new Error(message); };
const api = async (method, path, key, body, headers = {}) => {
  const r = await fetch(new URL(path, baseUrl), {
    method, headers: { "X-Api-Key": key, ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, etag: r.headers.get("ETag"), body: text ? JSON.parse(text) : null };
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const problems = [];

async function open(key, width = 1400) {
  const { context, page } = await openConsole(browser, baseUrl, key, problems, { width, contextOptions: { acceptDownloads: true, locale: "en-US" } });
  await page.waitForSelector("#nav a", { timeout: 15000 });
  return { context, page };
}

// Clicks until the dialog opens: a live update can redraw a row between the moment a click finds its button and the
// click itself, which then lands on a node no longer in the page. Bounded: after the deadline the step fails.
const clickForDialog = async (page, button, dialog, deadlineMs = 30000) => {
  const until = Date.now() + deadlineMs;
  for (;;) {
    await page.click(button, { timeout: 5000 }).catch(() => {});
    if (await page.waitForSelector(dialog, { timeout: 3000 }).then(() => true, () => false)) { return; }
    if (Date.now() > until) { throw new Error(`no ${dialog} within ${deadlineMs} ms of clicking ${button}`); }
  }
};
const go = async (page, hash) => { await page.evaluate((h) => { location.hash = h; }, hash); };
const shot = async (page, name) => { await page.screenshot({ path: join(outDir, name), fullPage: true }); };
const row = (id) => `tr[data-engine="${id}"]`;
/** A figure as the console shows it ("+1,234.56 USDT", "37.50 %") as a number; null for "–". */
const figure = (text) => {
  const t = text.replace(/[^0-9.,+-]/g, "").replace(/,/g, "");
  return t === "" || t === "-" ? null : Number(t);
};
/** The shown figure is the served value, rounded as shown (2 decimals). */
const sameFigure = (shown, served, what) => {
  if (served == null ? shown !== null : shown === null || Math.abs(shown - served) > 0.005 + 1e-9) { fail(`${what}: the console shows ${shown}, the API serves ${served}`); }
};
const noScriptRan = async (page, where) => {
  const ran = await page.evaluate(() => window.__xss);
  if (ran !== undefined) { fail(`markup ran as script in ${where}: ${ran}`); }
};

try {
  // --- Engines view: operator ---------------------------------------------------------------------------------
  const { context: opContext, page } = await open(operatorKey);
  await page.waitForSelector(`${row("desk-run")} .badge[data-state="Running"]`, { timeout: 15000 });
  const who = await page.textContent("#who");
  if (!who.includes("operator")) { fail(`signed in as ${who}`); }
  step("operator signed in, the engines view lists the engines");

  const idleHint = await page.textContent(`${row("desk-idle")} .actions`);
  if (!idleHint.includes("Enable the connection first")) { fail(`idle hint: ${idleHint}`); }
  const idleButtons = await page.$$eval(`${row("desk-idle")} button[data-action]`, (bs) => bs.map((b) => b.dataset.action));
  if (idleButtons.join(",") !== "enable") { fail(`idle buttons: ${idleButtons}`); }
  step("an Idle engine offers Enable and says to enable the connection first");

  await page.selectOption("#filter-state", "Running");
  await page.waitForFunction(() => [...document.querySelectorAll("tr[data-engine]")].every((r) => r.querySelector(".badge").dataset.state === "Running"));
  if (!page.url().includes("state=Running")) { fail(`filter not in the URL: ${page.url()}`); }
  await page.selectOption("#filter-state", "");
  await page.fill("#filter-text", "bulk-0");
  await page.waitForFunction(() => document.querySelectorAll("tr[data-engine]").length === 10);
  await page.fill("#filter-text", "");
  step("filters by state and text, and the URL says so");

  await page.selectOption("#page-size", "25");
  await page.waitForFunction(() => document.querySelectorAll("tr[data-engine]").length === 25);
  await page.click(".pager button:has-text('Next')");
  await page.waitForFunction(() => document.querySelector(".pager span").textContent.includes("Page 2 of 2"));
  await page.selectOption("#sort", "open");
  await page.click("#sort-dir");
  await page.click(".pager button:has-text('Previous')");
  await page.waitForFunction(() => document.querySelector("tr[data-engine]")?.dataset.engine === "desk-run");
  await page.selectOption("#sort", "id");
  await page.click("#sort-dir");
  await page.selectOption("#page-size", "50");
  step("pages of 25, sorted by open positions descending puts the trading engine first");

  // Start by keyboard: Tab to the Start button of the enabled engine and press Enter.
  await page.focus("#filter-text");
  let focused = null;
  for (let i = 0; i < 300 && focused !== "desk-enabled:start"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => `${document.activeElement?.dataset?.engine}:${document.activeElement?.dataset?.action}`);
  }
  if (focused !== "desk-enabled:start") { fail("Start is not reachable with the keyboard"); }
  await page.keyboard.press("Enter");
  await page.waitForSelector(`${row("desk-enabled")} .badge[data-state="Running"]`, { timeout: 3000 });
  step("started from the keyboard; Running within 3 s without a reload");

  await page.click(`${row("desk-enabled")} button[data-action="pause"]`);
  await page.waitForSelector(`${row("desk-enabled")} .badge[data-state="Paused"]`, { timeout: 3000 });
  step("paused");

  // A refused action shows inline with a Retry that repeats it: the first stop request is failed at the boundary.
  let failOnce = true;
  await page.route("**/api/engines/desk-enabled/stop", async (route) => {
    if (failOnce) {
      failOnce = false;
      await route.fulfill({ status: 503, contentType: "application/problem+json", headers: { "Retry-After": "2" },
        body: JSON.stringify({ type: "https://cts.dev/problems/unavailable", title: "Storage unavailable", status: 503, detail: "try again shortly" }) });
    } else {
      await route.continue();
    }
  });
  await page.click(`${row("desk-enabled")} button[data-action="stop"]`);
  await page.waitForSelector("dialog.confirm[open]");
  const closeBox = await page.isVisible("dialog.confirm input[name=closePositions]");
  if (!closeBox) { fail("stop does not ask about positions"); }
  await page.check("dialog.confirm input[name=closePositions]");
  await page.fill("dialog.confirm input[name=reason]", MARKUP);
  await page.click("dialog.confirm button[value=ok]");
  await page.waitForSelector(`${row("desk-enabled")} .problem:has-text("Storage unavailable")`, { timeout: 5000 });
  const inline = await page.textContent(`${row("desk-enabled")} .problem`);
  if (!inline.includes("retry after 2 s")) { fail(`no retry schedule inline: ${inline}`); }
  step("a failed stop is shown inline with the retry schedule, no alert");
  await page.click(`${row("desk-enabled")} .problem button.retry`);
  await page.waitForSelector(`${row("desk-enabled")} .badge[data-state="Stopped"]`, { timeout: 10000 });
  const left = await page.textContent(`${row("desk-enabled")} td[data-label="Open"]`);
  if (left.trim() !== "0") { fail(`positions left open: ${left}`); }
  step("Retry stopped it, closing its positions, after the confirmation dialog");
  await noScriptRan(page, "engines");

  // Stale data and reconnecting.
  await opContext.setOffline(true);
  await page.waitForSelector("#link.down", { timeout: 15000 });
  await page.waitForSelector("#asof.stale", { timeout: 15000 });
  await opContext.setOffline(false);
  await page.waitForSelector("#link.up", { timeout: 15000 });
  step("offline: says reconnecting and flags the data as not live; back live after");

  await shot(page, "engines-1400.png");

  // --- Engine detail ----------------------------------------------------------------------------------------------
  // Every performance document the page receives, to compare with what it shows.
  const served = new Map(); // asOf → performance document, as the page received them
  page.on("response", async (r) => {
    if (r.url().endsWith("/api/engines/desk-run/performance") && r.ok()) { const d = await r.json().catch(() => null); if (d) { served.set(d.asOf, d); } }
  });
  await go(page, "#/engines/desk-run");
  await page.waitForSelector("#candles[data-ready=true] canvas", { timeout: 15000 });
  await page.waitForFunction(() => Number(document.querySelector("#candles").dataset.markers) >= 1, null, { timeout: 15000 });
  const indicators = await page.getAttribute("#candles", "data-indicators");
  if (indicators !== "RSI 14") { fail(`indicators: ${indicators}`); }
  step("the chart draws candles with entry markers and the strategy's RSI");
  await page.click(".symbols button[data-symbol=ETHUSDT]");
  await page.waitForSelector(".symbols button[data-symbol=ETHUSDT][aria-pressed=true]");
  await page.waitForSelector("#candles[data-ready=true] canvas", { timeout: 15000 });
  step("the chart switches symbol");

  await page.waitForSelector("#trades .trades-open tbody tr", { timeout: 15000 });
  // Paused from its header, the engine makes no entry of its own: the slot the Close frees stays for the force entry.
  await page.click("#engine-notes button[data-action=pause]");
  await page.waitForSelector("#view h1 .badge[data-state=Paused]", { timeout: 5000 });
  const current = await page.textContent("#trades .trades-open tbody tr td[data-label=Current]");
  if (!/\d/.test(current)) { fail(`no current price: ${current}`); }
  await shot(page, "engine-1400.png");
  await page.click("#trades .trades-open tbody tr button[data-close]");
  await page.waitForSelector("dialog.confirm[open]");
  await page.click("dialog.confirm button[value=ok]");
  await page.waitForSelector("#trades .trades-closed td[data-label='Exit reason']:has-text('manual')", { timeout: 10000 });
  step("an open trade closes with its Close button; it shows as closed with reason manual");

  // Force entry: the form opens a position; the notice names it, the open trades and the API list it.
  if (!(await page.textContent("#force-entry")).includes("Force entry")) { fail("no force-entry form"); }
  const entryRequest = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/api/engines/desk-run/positions"));
  await page.selectOption("#entry-symbol", "BTCUSDT");
  await page.click("#entry-form button[type=submit]");
  const keySent = (await entryRequest).headers()["idempotency-key"];
  if (!keySent || keySent.length < 16) { fail(`force entry sent no Idempotency-Key: ${keySent}`); }
  await page.waitForSelector("#entry-result .notice.ok, #entry-result .problem", { timeout: 10000 });
  const entryResult = (await page.textContent("#entry-result")).trim();
  const opened = await page.getAttribute("#entry-result .notice.ok", "data-opened").catch(() => null);
  if (!opened) { fail(`force entry did not open a position: ${entryResult}`); }
  if (!entryResult.includes(opened) || !entryResult.includes("BTCUSDT")) { fail(`the notice does not name the position: ${entryResult}`); }
  await page.waitForSelector(`#trades .trades-open tr[data-position="${opened}"]`, { timeout: 10000 });
  const listed = await api("GET", "/api/engines/desk-run/positions?status=open", operatorKey);
  if (!listed.body.positions.some((p) => p.id === opened && p.symbol === "BTCUSDT")) { fail(`the API does not list ${opened} as open`); }
  console.log(`force entry: ${entryResult}`);
  await page.click("#engine-notes button[data-action=resume]");
  await page.waitForSelector("#view h1 .badge[data-state=Running]", { timeout: 5000 });
  step("force entry opens a position on the paused engine: the notice names it, it is in the open trades and the API's list");

  // Performance: the figures shown are those GET /api/engines/{id}/performance served (the document the page drew).
  await page.waitForFunction(() => {
    const perf = document.querySelector("#performance");
    return perf?.dataset.asOf && document.querySelector("#equity[data-ready=true] canvas")
      && document.querySelector("#perf-daily tr[data-day]") && Number(document.querySelector("#equity").dataset.points) >= 2;
  }, null, { timeout: 20000 });
  // Read the figures and the document they came from in one go (the view refreshes itself every 15 s).
  const readPerformance = () => page.evaluate(() => {
    const text = (k) => document.querySelector(`#perf-stats [data-stat="${k}"] .value`)?.textContent ?? "";
    return { asOf: document.querySelector("#performance").dataset.asOf, total: text("total"), today: text("today"), winRate: text("win-rate"),
      trades: text("trades"), profitFactor: text("profit-factor"), drawdown: text("drawdown"), days: document.querySelectorAll("#perf-daily tr[data-day]").length };
  });
  let shown = await readPerformance();
  for (let i = 0; i < 50 && !served.has(shown.asOf); i++) { await page.waitForTimeout(200); shown = await readPerformance(); }
  const doc = served.get(shown.asOf) ?? fail(`the performance shown (as of ${shown.asOf}) is none the page received`);
  sameFigure(figure(shown.total), doc.totalProfit, "total profit");
  sameFigure(figure(shown.winRate), doc.winRate == null ? null : doc.winRate * 100, "win rate");
  if (!shown.trades.startsWith(`${doc.trades} (${doc.wins} W`)) { fail(`trades: shown ${shown.trades}, served ${doc.trades}`); }
  sameFigure(figure(shown.drawdown.split("(")[0]), doc.maxDrawdown, "max drawdown");
  if (doc.profitFactor != null) { sameFigure(figure(shown.profitFactor), doc.profitFactor, "profit factor"); } else if (!shown.profitFactor) { fail("no profit factor"); }
  if (shown.days !== doc.daily.length) { fail(`daily: ${shown.days} days shown, ${doc.daily.length} served`); }
  const today = doc.daily.find((d) => d.date === new Date().toISOString().slice(0, 10));
  sameFigure(figure(shown.today.split("·")[0]), today ? today.profit : 0, "today's profit");
  if (doc.trades < 1) { fail("the closed trade is not counted"); }
  // And the API, asked now, agrees on what does not move with the price.
  const fresh = (await api("GET", "/api/engines/desk-run/performance", viewerKey)).body;
  if (fresh.trades !== doc.trades || fresh.winRate !== doc.winRate) { fail(`the API now says ${fresh.trades} trades, win rate ${fresh.winRate}; the page ${doc.trades}, ${doc.winRate}`); }
  console.log(`performance: ${JSON.stringify(shown)}`);
  step("performance shows total and daily PnL, win rate, profit factor, max drawdown and an equity curve, as the API serves them");
  await shot(page, "engine-performance-1400.png");

  // --- Inspector and cluster ---------------------------------------------------------------------------------------
  await go(page, "#/engines/desk-enabled/inspect");
  await page.waitForSelector("#inspect-node", { timeout: 10000 });
  const history = await page.textContent("#inspector .history");
  for (const word of ["start", "pause", "stop", "operator"]) {
    if (!history.includes(word)) { fail(`history lacks ${word}`); }
  }
  if (!history.includes("<img src=x")) { fail("the stop reason is not shown as text"); }
  const entries = await page.$$eval("#inspector .history tbody tr", (rs) => rs.length);
  await page.fill("#history-filter", "pause");
  await page.waitForFunction((n) => {
    const rows = [...document.querySelectorAll("#inspector .history tbody tr")];
    return rows.length > 0 && rows.length < n && rows.every((r) => r.textContent.toLowerCase().includes("pause"));
  }, entries);
  step("the inspector shows the node, the history with actor, reason and outcome, filterable");
  await go(page, "#/engines/desk-run/inspect");
  await page.waitForSelector("#inspector tr[data-processor=realtime] td[data-label='Next tick']:has-text('in ')", { timeout: 10000 });
  await page.waitForSelector("#watchdog-h", { timeout: 5000 });
  const watchdog = await page.textContent("#inspector");
  if (!watchdog.includes("1m 00s")) { fail("watchdog period not shown"); }
  await shot(page, "inspector-1400.png");
  step("the inspector of a running engine shows next ticks and its watchdog");

  await go(page, "#/cluster");
  await page.waitForSelector("#cluster tr[data-node]", { timeout: 10000 });
  const cluster = await page.textContent("#cluster");
  if (!cluster.includes("Active") || !cluster.includes("Running")) { fail(`cluster: ${cluster.slice(0, 200)}`); }
  if (!await page.isVisible("a[href='/dashboard']")) { fail("no link to the dashboard"); }
  await shot(page, "cluster-1400.png");
  step("the cluster view lists the node with its engines by state and links the dashboard");
  await noScriptRan(page, "detail, inspector, cluster");
  await opContext.close();

  // --- Viewer: no actions ----------------------------------------------------------------------------------------
  const { context: viewerContext, page: viewer } = await open(viewerKey);
  await viewer.waitForSelector(`${row("desk-run")} .badge`, { timeout: 15000 });
  const viewerButtons = await viewer.$$(`tr[data-engine] button[data-action]`);
  if (viewerButtons.length) { fail(`a viewer sees ${viewerButtons.length} action buttons`); }
  const readOnly = await viewer.textContent(`${row("desk-run")} .actions`);
  if (!readOnly.includes("Read-only")) { fail(`viewer is not told why: ${readOnly}`); }
  step("a viewer sees no action buttons and is told why");
  await viewerContext.close();

  // --- Config views: admin ---------------------------------------------------------------------------------------
  const { context: adminContext, page: admin } = await open(adminKey);
  await go(admin, "#/connections/new");
  await admin.waitForSelector("#f-id");
  await admin.fill("#f-id", "Bad_ID");
  await admin.fill("#f-name", MARKUP);
  await admin.fill("#f-symbols", "");
  await admin.click("form.edit button[type=submit]");
  await admin.waitForSelector("#f-id-error:not(:empty)", { timeout: 5000 });
  await admin.waitForSelector("#f-symbols-error:not(:empty)");
  if (await admin.getAttribute("#f-symbols", "aria-invalid") !== "true") { fail("symbols not marked invalid"); }
  step("the server's validation errors show next to their fields");
  await admin.fill("#f-id", "desk-new");
  await admin.fill("#f-symbols", "BTCUSDT, ETHUSDT");
  await admin.fill("#f-credentials-apiKey", "key-1234567890");
  await admin.fill("#f-credentials-apiSecret", "secret-1234567890");
  await admin.click("form.edit button[type=submit]");
  await admin.waitForFunction(() => location.hash === "#/connections/desk-new", null, { timeout: 10000 });
  await admin.waitForSelector("#f-credentials-apiKey");
  const placeholder = await admin.getAttribute("#f-credentials-apiKey", "placeholder");
  const value = await admin.inputValue("#f-credentials-apiKey");
  if (value !== "" || placeholder.includes("1234567890")) { fail(`credentials shown: ${value} / ${placeholder}`); }
  step("a connection is created; its credentials are write-only (masked, never filled in)");

  await admin.fill("#f-name", "Desk new, renamed");
  await admin.click("form.edit button[type=submit]");
  await admin.waitForSelector(".form-message .notice:has-text('version 2')", { timeout: 10000 });
  // Someone else changes it: the next save is refused as stale and offers to reload.
  const other = await api("GET", "/api/connections/desk-new", adminKey);
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, credentials: _cr, ...rest } = other.body;
  const changed = await api("PUT", "/api/connections/desk-new", adminKey, { ...rest, name: "changed elsewhere" }, { "If-Match": other.etag });
  if (changed.status !== 200) { fail(`PUT elsewhere: ${changed.status} ${JSON.stringify(changed.body)}`); }
  await admin.fill("#f-name", "mine");
  await admin.click("form.edit button[type=submit]");
  await admin.waitForSelector(".form-message .problem:has-text('412')", { timeout: 10000 });
  await admin.click(".form-message .problem button.retry");
  await admin.waitForFunction(() => document.querySelector("#f-name")?.value === "changed elsewhere", null, { timeout: 10000 });
  step("edits carry the ETag: saved as version 2, a stale save is 412 with a reload");

  await go(admin, "#/connections");
  await admin.waitForSelector("tr[data-connection=desk-new]");
  await admin.click("tr[data-connection=desk-new] button[data-conn-action=test]");
  await admin.waitForSelector("tr[data-connection=desk-new] .test-result :is(.notice, .problem)", { timeout: 10000 });
  const tested = (await admin.textContent("tr[data-connection=desk-new] .test-result")).trim();
  if (!await admin.$("tr[data-connection=desk-new] .test-result .notice.ok") || !tested.includes("Connection OK") || !tested.includes("Latency")) { fail(`test: ${tested}`); }
  // A venue that refuses the key answers 200 with ok: false and its reason (the API's shape, injected at the boundary).
  await admin.route("**/api/connections/desk-new/test", (route) => route.fulfill({ status: 200, contentType: "application/json",
    body: JSON.stringify({ ok: false, latencyMs: 41, clockSkewMs: null, canTrade: null, symbols: [], reason: "the exchange refused the API key (-2015)" }) }));
  await admin.click("tr[data-connection=desk-new] button[data-conn-action=test]");
  await admin.waitForSelector("tr[data-connection=desk-new] .test-result .problem:has-text('refused the API key')", { timeout: 10000 });
  await admin.unroute("**/api/connections/desk-new/test");
  console.log(`test: ${tested.slice(0, 80)}`);
  step("Test on a paper connection answers ok inline; a refused key shows its reason inline");
  await admin.click("tr[data-connection=desk-new] button[data-conn-action=enable]");
  await admin.waitForSelector("tr[data-connection=desk-new] .badge[data-state=Enabled]", { timeout: 5000 });
  await admin.click("tr[data-connection=desk-new] button[data-conn-action=disable]");
  await admin.click("dialog.confirm button[value=ok]");
  await admin.waitForSelector("tr[data-connection=desk-new] .badge[data-state=Idle]", { timeout: 5000 });
  step("enable and disable from the connections view");
  await shot(admin, "connections-1400.png");
  await noScriptRan(admin, "connections");

  // Delete a running engine's connection that holds open positions. Without closing them: the 409 is inline, naming them.
  const openIds = async () => (await api("GET", "/api/positions?connectionId=desk-run&status=open", adminKey)).body.positions.map((p) => p.id).sort();
  if ((await openIds()).length === 0) { fail("desk-run holds no open position to delete over"); }
  if ((await api("GET", "/api/engines/desk-run", adminKey)).body.state !== "Running") { fail("desk-run is not running"); }
  await clickForDialog(admin, "tr[data-connection=desk-run] button[data-conn-action=delete]", "dialog.confirm[open] input[name=closePositions]");
  const warning = await admin.textContent("dialog.confirm[open]");
  if (!warning.includes("stopped first") || !warning.includes("open position")) { fail(`the delete dialog does not say what happens: ${warning}`); }
  await admin.uncheck("dialog.confirm input[name=closePositions]");
  await admin.click("dialog.confirm button[value=ok]");
  await admin.waitForSelector("tr[data-connection=desk-run] .problem li[data-open-position]", { timeout: 15000 });
  const refusal = await admin.textContent("tr[data-connection=desk-run] .problem");
  const named = (await admin.$$eval("tr[data-connection=desk-run] .problem li[data-open-position]", (ls) => ls.map((l) => l.dataset.openPosition))).sort();
  const heldOpen = await openIds();
  if (!refusal.includes("409") || named.join() !== heldOpen.join()) { fail(`the refusal names ${named}, the API holds ${heldOpen}: ${refusal}`); }
  if ((await api("GET", "/api/connections/desk-run", adminKey)).status !== 200) { fail("desk-run was deleted without closing its positions"); }
  step("delete without closing positions: the 409 is inline, naming the open positions; nothing is deleted");

  // Running again, holding positions: the dialog's choice closes them and deletes in one request (?closePositions=true).
  if ((await api("POST", "/api/engines/desk-run/start", operatorKey)).status !== 200) { fail("desk-run did not start again"); }
  await admin.waitForSelector("tr[data-connection=desk-run] .badge[data-state=Running]", { timeout: 15000 });
  if ((await openIds()).length === 0) { fail("desk-run came back without its open positions"); }
  await clickForDialog(admin, "tr[data-connection=desk-run] button[data-conn-action=delete]", "dialog.confirm[open] input[name=closePositions]");
  if (!await admin.isChecked("dialog.confirm input[name=closePositions]")) { fail("the dialog does not offer to close the positions it was refused over"); }
  const deleteRequest = admin.waitForRequest((r) => r.method() === "DELETE" && r.url().includes("/api/connections/desk-run"));
  await admin.click("dialog.confirm button[value=ok]");
  if (!(await deleteRequest).url().endsWith("/api/connections/desk-run?closePositions=true")) { fail("the delete did not ask to close positions"); }
  await admin.waitForFunction(() => !document.querySelector("tr[data-connection=desk-run]"), null, { timeout: 20000 });
  const gone = await api("GET", "/api/connections/desk-run", adminKey);
  if (gone.status !== 404) { fail(`desk-run still there: ${gone.status}`); }
  if ((await openIds()).length) { fail("positions left open after delete"); }
  const closedByDelete = (await api("GET", "/api/positions?connectionId=desk-run&status=closed", adminKey)).body.positions
    .filter((p) => heldOpen.includes(p.id) && p.exitReason === "connection-deleted");
  if (closedByDelete.length === 0) { fail("no position was closed by the delete"); }
  step("delete with the dialog's close-positions choice removes a running engine's connection in one go; no position left open");

  // Presets.
  await go(admin, "#/presets/eager");
  await admin.waitForSelector("#f-emaSlow");
  await admin.fill("#f-emaFast", "30");
  await admin.fill("#f-emaSlow", "10");
  await admin.fill("#f-name", MARKUP);
  await admin.click("form.edit button[type=submit]");
  await admin.waitForSelector("#f-emaSlow-error:not(:empty)", { timeout: 5000 });
  await admin.fill("#f-emaFast", "5");
  await admin.click("form.edit button[type=submit]");
  await admin.waitForSelector(".form-message .notice:has-text('Saved')", { timeout: 5000 });
  await go(admin, "#/presets");
  await admin.waitForSelector("tr[data-preset=eager]");
  const presetName = await admin.textContent("tr[data-preset=eager] td[data-label=Preset] a");
  if (presetName !== MARKUP) { fail(`preset name not shown as text: ${presetName}`); }
  step("a preset is edited with its errors next to the fields; the markup in its name shows as text");

  // Settings.
  await go(admin, "#/settings");
  await admin.waitForSelector("#f-startRetry-maxAttempts");
  await admin.fill("#f-startRetry-maxAttempts", "0");
  await admin.click("form.edit button[type=submit]");
  await admin.waitForSelector("#f-startRetry-maxAttempts-error:not(:empty)", { timeout: 5000 });
  await admin.fill("#f-startRetry-maxAttempts", "4");
  await admin.click("form.edit button[type=submit]");
  await admin.waitForSelector(".form-message .notice:has-text('Saved')", { timeout: 5000 });
  const settings = await api("GET", "/api/settings", adminKey);
  if (settings.body.startRetry.maxAttempts !== 4) { fail("settings not saved"); }
  step("settings are edited with the nested field's error next to it");

  // Backups: export, import preview (dry run) and apply, restore preview.
  await go(admin, "#/backups");
  await admin.waitForSelector("#backup-list tr[data-backup]", { timeout: 15000 });
  const [download] = await Promise.all([admin.waitForEvent("download"), admin.click("#export")]);
  const exported = JSON.parse(await (await import("node:fs/promises")).readFile(await download.path(), "utf8"));
  if (!exported.connections?.length) { fail("export has no connections"); }
  exported.presets = [{ ...exported.presets.find((p) => p.id === "eager"), id: "imported", name: "Imported" }];
  exported.connections = [];
  delete exported.settings;
  await admin.fill("#import-text", JSON.stringify(exported));
  await admin.click("#import-preview");
  await admin.waitForSelector("#preview tr.o-created", { timeout: 10000 });
  if ((await api("GET", "/api/presets/imported", adminKey)).status !== 404) { fail("the dry run wrote"); }
  await admin.click("#preview button#apply");
  await admin.click("dialog.confirm button[value=ok]");
  await admin.waitForSelector("#preview:has-text('Applied')", { timeout: 10000 });
  if ((await api("GET", "/api/presets/imported", adminKey)).status !== 200) { fail("the import did not write"); }
  await admin.click("#backup-list button[data-restore-preview]");
  await admin.waitForSelector("#preview:has-text('Nothing was written')", { timeout: 10000 });
  await shot(admin, "backups-1400.png");
  step("export downloads; import previews with a dry run, then applies; restore previews");

  // Audit.
  await go(admin, "#/audit?connectionId=desk-enabled");
  await admin.waitForSelector("#audit tbody tr", { timeout: 10000 });
  const all = await admin.$$eval("#audit tbody tr", (rs) => rs.length);
  await admin.fill("#audit-text", "pause");
  await admin.waitForFunction((n) => document.querySelectorAll("#audit tbody tr").length < n, all);
  const audit = await admin.textContent("#audit");
  if (!audit.includes("pause")) { fail("audit search lost the pause"); }
  step("the audit trail is searchable by connection and text");

  // Every view once more, looking for the markup: shown as text, never run.
  for (const hash of ["#/engines", "#/engines/desk-new", "#/engines/desk-enabled/inspect", "#/connections", "#/presets", "#/audit", "#/backups", "#/cluster"]) {
    await go(admin, hash);
    await admin.waitForTimeout(1500);
    await noScriptRan(admin, hash);
  }
  const made = await admin.$$eval("[onerror], script:not([src])", (es) => es.length);
  if (made) { fail(`${made} elements were made from data`); }
  step("markup in every shown field is text: no script ran, no element was made from it");
  await adminContext.close();

  // --- 390 px ------------------------------------------------------------------------------------------------------
  const { context: narrowContext, page: narrow } = await open(operatorKey, 390);
  await narrow.waitForSelector(`${row("desk-enabled")} button[data-action="start"]`, { timeout: 15000 });
  const box = await narrow.locator(`${row("desk-enabled")} button[data-action="start"]`).boundingBox();
  if (!box || box.x < 0 || box.x + box.width > 390) { fail(`the Start button is off screen at 390 px: ${JSON.stringify(box)}`); }
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth);
  if (overflow > 392) { fail(`the page is ${overflow} px wide at 390 px`); }
  await shot(narrow, "engines-390.png");
  await go(narrow, "#/engines/desk-enabled");
  await narrow.waitForSelector("#candles[data-ready=true] canvas", { timeout: 15000 });
  await shot(narrow, "engine-390.png");
  await go(narrow, "#/engines/desk-enabled/inspect");
  await narrow.waitForSelector("#inspect-node", { timeout: 10000 });
  await shot(narrow, "inspector-390.png");
  await go(narrow, "#/connections");
  await narrow.waitForSelector("tr[data-connection]", { timeout: 10000 });
  await shot(narrow, "connections-390.png");
  step("at 390 px the actions stay on screen and nothing scrolls sideways");
  await narrowContext.close();

  if (problems.length) { fail(`page problems:\n${problems.join("\n")}`); }
  step("no page error and no CSP violation");
} catch (e) {
  // What the pages showed when it failed, for the test's artifacts.
  let n = 0;
  for (const context of browser.contexts()) {
    for (const p of context.pages()) {
      await p.screenshot({ path: join(outDir, `failure-${++n}.png`), fullPage: true }).catch(() => {});
      console.log(`failure-${n}.png: ${p.url()}`);
    }
  }
  if (problems.length) { console.log(problems.join("\n")); }
  throw e;
} finally {
  await browser.close();
}
