// Puts markup into every field the live page shows and proves none of it runs and all of it is shown as text.
// The connection's name and its preset's name carry markup for real (the API accepts it: they are free text); the
// fields the server itself produces or validates (symbols, error kind and message, restart reason, processor error,
// position fields) are rewritten in the API responses and the event stream on their way to the page. Each payload
// is an <img> whose onerror and a <script> would record the field in window.__xss, and whose src would be
// requested as /xss-<field>. Run twice: with the CSP (no violation may be reported) and with the CSP bypassed (the
// page alone must not run anything). Then /api-docs and /dashboard/ open on the same session without a violation.
// Usage: node live-page-markup.mjs <baseUrl> <apiKey> <engineId> <screenshot>
import { withBrowser, newPage, signIn, step, violations } from "./browser.mjs";

const [baseUrl, apiKey, engine, screenshot] = process.argv.slice(2);
// At most 100 characters, the longest name the API takes.
const payload = (field) => `<img src=/xss-${field} onerror=__xss.push('${field}')><script>__xss.push('${field}!')</script>`;

// What the page must show as text, by field (the real ones too, so a page that dropped them would fail): what
// status-all and the positions list bring, and what the stream's events bring (until the next refresh replaces them).
const listed = ["name", "preset", "symbol-a", "symbol-b", "error-kind", "error-message", "restart-reason", "processor-error",
  "position-symbol", "position-status", "position-exit-reason", "position-quantity", "position-entry", "position-exit",
  "position-pnl"];
const streamed = ["event-error-message", "event-position-symbol", "event-position-status", "event-position-quantity"];

function markStatus(status, prefix = "") {
  status.restartRequired = true;
  status.restartReason = payload("restart-reason");
  status.lastError = { kind: payload("error-kind"), message: payload(prefix ? `${prefix}error-message` : "error-message") };
  const first = Object.keys(status.processors || {})[0];
  if (first) { status.processors[first].lastError = payload("processor-error"); }
  return status;
}

function markPosition(prefix = "position-") {
  return {
    id: payload(`${prefix}id`), connectionId: engine, symbol: payload(`${prefix}symbol`), status: payload(`${prefix}status`),
    exitReason: payload(`${prefix}exit-reason`), quantity: payload(`${prefix}quantity`), entryPrice: payload(`${prefix}entry`),
    exitPrice: payload(`${prefix}exit`), realizedPnl: payload(`${prefix}pnl`), openedAt: "2026-12-01T00:00:00Z",
  };
}

async function rewire(page) {
  await page.route(/\/api\/connections\?/, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.connections.filter((c) => c.id === engine).forEach((c) => { c.symbols = [payload("symbol-a"), payload("symbol-b")]; });
    await route.fulfill({ response, json: body });
  });
  await page.route(/\/api\/engines\?/, async (route) => {
    const response = await route.fetch();
    if (response.status() !== 200) { return route.fulfill({ response }); }
    const body = await response.json();
    body.engines.filter((e) => e.connectionId === engine).forEach((e) => markStatus(e));
    await route.fulfill({ response, json: body });
  });
  await page.route(/\/api\/positions\?/, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.positions.push(markPosition());
    await route.fulfill({ response, json: body });
  });
  // The stream: one state event and one position event, both with markup; the page reconnects after it ends.
  await page.route(/\/api\/events/, async (route) => {
    const status = await (await route.fetch({ url: new URL(`/api/engines/${engine}`, baseUrl).toString(), headers: route.request().headers() })).json();
    const events = [
      ["1", "engine-state", { connectionId: engine, at: new Date().toISOString(), data: markStatus(status, "event-") }],
      ["2", "position-opened", { connectionId: engine, at: new Date().toISOString(), data: markPosition("event-position-") }],
    ];
    await route.fulfill({ status: 200, contentType: "text/event-stream",
      body: events.map(([id, type, data]) => `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`).join("") });
  });
}

async function check(page, label) {
  const row = `tr[data-engine="${engine}"]`;
  await page.waitForSelector(`${row} .name`, { timeout: 15000 });
  // Every field's payload appears as literal text on the page.
  for (const [source, fields] of [["listings", listed], ["stream", streamed]]) {
    await page.waitForFunction((all) => all.every((f) => document.body.textContent.includes(`__xss.push('${f}')`)), fields,
      { timeout: 15000 }).catch(async () => {
      const text = await page.evaluate(() => document.body.textContent);
      throw new Error(`${label}: fields from the ${source} not shown as text: ${fields.filter((f) => !text.includes(`__xss.push('${f}')`)).join(", ")}`);
    });
  }
  // The position id is never shown, only kept as an attribute value.
  const ids = await page.$$eval("#positions tr[data-position]", (rows) => rows.map((r) => r.dataset.position));
  if (!ids.includes(payload("position-id"))) { throw new Error(`${label}: the position id attribute is ${JSON.stringify(ids)}`); }
  const name = await page.textContent(`${row} .name`);
  if (name !== payload("name")) { throw new Error(`${label}: the name cell shows ${JSON.stringify(name)}`); }
  const injected = await page.$$eval("#engines img, #engines script, #positions img, #positions script, #notice img", (n) => n.length);
  if (injected !== 0) { throw new Error(`${label}: ${injected} elements were built from data`); }
  const ran = await page.evaluate(() => window.__xss);
  if (ran.length !== 0) { throw new Error(`${label}: script from data ran: ${ran.join(", ")}`); }
  if (page.watched.length !== 0) { throw new Error(`${label}: an image from data was requested: ${page.watched.join(", ")}`); }
  const blocked = await violations(page);
  if (blocked.length !== 0) { throw new Error(`${label}: CSP violations (markup reached the DOM): ${blocked.join("; ")}`); }
  const cookies = await page.evaluate(() => document.cookie);
  if (cookies.includes("cts-session")) { throw new Error(`${label}: the session cookie is readable by script`); }
}

await withBrowser(100000, async (browser) => {
  // With the CSP: nothing from the data reaches the DOM as markup, so the policy has nothing to block.
  const strict = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await newPage(strict);
  await rewire(page);
  await signIn(page, baseUrl, "/live.html", apiKey);
  step("signed in through the form");
  await check(page, "with CSP");
  step("with CSP: every field shown as text, no script ran, no violation");
  await page.screenshot({ path: screenshot, fullPage: true });

  // Without the CSP: the page alone is safe.
  const open = await browser.newContext({ viewport: { width: 1600, height: 900 }, bypassCSP: true });
  const unguarded = await newPage(open);
  await rewire(unguarded);
  await signIn(unguarded, baseUrl, "/live.html", apiKey);
  await check(unguarded, "CSP bypassed");
  step("with CSP bypassed: every field shown as text, no script ran");

  // The ops pages open on the session and run under the CSP without a violation.
  const docs = await newPage(strict);
  await docs.goto(new URL("/api-docs", baseUrl).toString());
  await docs.waitForFunction(() => /\d+ operations/.test(document.getElementById("status").textContent), null, { timeout: 15000 });
  if ((await violations(docs)).length !== 0) { throw new Error(`/api-docs: CSP violations: ${(await violations(docs)).join("; ")}`); }
  step("api-docs lists the operations on the session, no violation");
  const dashboard = await newPage(strict);
  await dashboard.goto(new URL("/dashboard/", baseUrl).toString());
  await dashboard.waitForFunction(() => document.body.textContent.includes("TOTAL ACTIVATIONS") || document.body.textContent.includes("Total Activations"),
    null, { timeout: 20000 });
  await dashboard.evaluate(() => document.fonts.ready.then(() => true));
  if ((await violations(dashboard)).length !== 0) { throw new Error(`/dashboard/: CSP violations: ${(await violations(dashboard)).join("; ")}`); }
  step("dashboard shows the cluster on the session, no violation");
  // The live pages keep polling through their rewiring routes: let the ones in flight go before the browser closes
  // (a route.fetch whose context is gone would otherwise end the run with an unhandled rejection).
  await Promise.all([page, unguarded].map((p) => p.unrouteAll({ behavior: "ignoreErrors" })));
});
