// Shared by the browser tests: Debian's Chromium through playwright-core, a hard deadline after which the browser is
// closed and the script exits (so a hung page never leaves node or Chromium behind), sign-in through the form, and a
// recorder of Content-Security-Policy violations installed before any page script runs.
import { chromium } from "playwright-core";

export const step = (name) => console.log(`step: ${name}`);

/** Runs body(browser) with Chromium; exits 0 when it resolves, 1 when it throws, 2 when the deadline passes. */
export async function withBrowser(deadlineMs, body) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  const deadline = setTimeout(async () => {
    console.log(`deadline: the browser run took longer than ${deadlineMs} ms`);
    await browser.close().catch(() => {});
    process.exit(2);
  }, deadlineMs);
  let code = 0;
  try {
    await body(browser);
  } catch (e) {
    console.log(`failed: ${e && e.stack ? e.stack : e}`);
    code = 1;
  } finally {
    clearTimeout(deadline);
    await browser.close().catch(() => {});
  }
  process.exit(code);
}

/** A new page that records CSP violations (window.__violations) and page errors, and counts requests matching a pattern. */
export async function newPage(context, { watch = /\/xss-/ } = {}) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    window.__xss = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
  });
  page.on("pageerror", (e) => console.log(`pageerror: ${e.message}`));
  page.watched = [];
  page.on("request", (r) => { if (watch.test(r.url())) { page.watched.push(r.url()); } });
  return page;
}

/** Opens a protected page, is sent to the sign-in form, signs in with the key and lands back on the page. */
export async function signIn(page, baseUrl, path, apiKey) {
  await page.goto(new URL(path, baseUrl).toString());
  const url = new URL(page.url());
  if (url.pathname !== "/signin" || url.searchParams.get("returnUrl") !== path) {
    throw new Error(`opening ${path} without a session went to ${page.url()}, expected /signin?returnUrl=${path}`);
  }
  await page.fill("#apiKey", apiKey);
  await Promise.all([page.waitForURL((u) => u.pathname === path), page.click("#signin button[type=submit]")]);
}

export async function violations(page) {
  return page.evaluate(() => window.__violations);
}

/** The strict CSP of the sign-in contract, which the host sends on every page. */
export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
  + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * A new context and page on the console, signed in as a browser is: opening `/` without a session goes to the sign-in
 * form, which sets the cookie and comes back. Checks the host's CSP on the first response; page errors, CSP messages
 * and violations go to `problems`.
 */
export async function openConsole(browser, baseUrl, key, problems, { width = 1400, contextOptions = {} } = {}) {
  const fail = (message) => { throw new Error(message); };
  const context = await browser.newContext({ viewport: { width, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.text().includes("Content Security Policy")) { problems.push(`csp: ${m.text()}`); } });
  const first = await page.goto(baseUrl);
  if (first.headers()["content-security-policy"] !== CONSOLE_CSP) { fail(`the page's CSP is ${first.headers()["content-security-policy"]}, not the contract's`); }
  if (new URL(page.url()).pathname !== "/signin") { fail(`opening the console without a session went to ${page.url()}, not /signin`); }
  await page.fill("#apiKey", key);
  await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.click("#signin button[type=submit]")]);
  return { context, page };
}
