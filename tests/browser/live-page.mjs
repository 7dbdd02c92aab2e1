// Drives the live page in Debian's Chromium: sign in through the form, start an engine with its button, see Running
// within 3 s without a reload, pause, see positions appear, stop; saves a screenshot.
// Usage: node live-page.mjs <baseUrl> <apiKey> <engineId> <screenshot>
import { withBrowser, newPage, signIn, step, violations } from "./browser.mjs";

const [baseUrl, apiKey, engine, screenshot] = process.argv.slice(2);
await withBrowser(75000, async (browser) => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
  const page = await newPage(context);
  await signIn(page, baseUrl, "/live.html", apiKey); // the live page; the console is at /
  step("signed in through the form");
  const row = `tr[data-engine="${engine}"]`;
  await page.waitForSelector(`${row} .badge[data-state="Enabled"]`, { timeout: 10000 });
  step("page shows the Enabled engine");

  await page.click(`${row} button[data-action="start"]`);
  await page.waitForSelector(`${row} .badge[data-state="Running"]`, { timeout: 3000 });
  step("badge turned Running within 3 s");

  await page.waitForSelector(`#positions tbody tr`, { timeout: 20000 });
  step("positions table populated");

  await page.click(`${row} button[data-action="pause"]`);
  await page.waitForSelector(`${row} .badge[data-state="Paused"]`, { timeout: 3000 });
  step("badge turned Paused");

  await page.click(`${row} button[data-action="stop"]`);
  await page.waitForSelector(`${row} .badge[data-state="Stopped"]`, { timeout: 5000 });
  step("badge turned Stopped");
  const enabled = await page.$$eval(`${row} button:not([disabled])`, (bs) => bs.map((b) => b.dataset.action));
  if (enabled.join(",") !== "start") {
    throw new Error(`buttons enabled when Stopped: ${enabled}`);
  }
  step("only Start is enabled when Stopped");
  const blocked = await violations(page);
  if (blocked.length > 0) { throw new Error(`CSP violations: ${blocked.join("; ")}`); }
  step("no CSP violations");
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
  if (stored.includes(apiKey)) { throw new Error("the API key is kept in the browser's storage"); }
  step("the API key is not in browser storage");
  await page.screenshot({ path: screenshot, fullPage: true });
  step("screenshot saved");
});
