// Drives the live page in Debian's Chromium: start an engine with its button, see Running within 3 s without a
// reload, pause, see positions appear, stop; saves a screenshot. Usage: node live-page.mjs <baseUrl> <apiKey> <engineId> <screenshot>
import { chromium } from "playwright-core";

const [baseUrl, apiKey, engine, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const step = (name) => console.log(`step: ${name}`);
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  page.on("pageerror", (e) => console.log(`pageerror: ${e.message}`));
  await page.goto(new URL("live.html", baseUrl).toString()); // the old live page, kept until the integrator removes it
  await page.fill("#key", apiKey);
  await page.click("#login button");
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
  await page.screenshot({ path: screenshot, fullPage: true });
  step("screenshot saved");
} finally {
  await browser.close();
}
