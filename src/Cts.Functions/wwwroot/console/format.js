// Numbers per symbol precision and currency; times in the user's zone, always with the date.
const QUOTES = ["USDT", "USDC", "BUSD", "FDUSD", "USD", "EUR", "BTC", "ETH", "BNB"];
const precision = new Map(); // symbol → decimals, learned from the first price seen

export function quoteOf(symbol) {
  return QUOTES.find((q) => symbol && symbol.endsWith(q) && symbol.length > q.length) || "";
}

/** Decimals for prices of `symbol`: from its tick size when known, else from the size of its price. */
export function decimalsFor(symbol, price, tickSize) {
  if (tickSize) { const d = Math.max(0, Math.ceil(-Math.log10(Number(tickSize)))); precision.set(symbol, d); return d; }
  if (precision.has(symbol)) { return precision.get(symbol); }
  const p = Math.abs(Number(price));
  const d = !isFinite(p) || p === 0 ? 2 : p >= 1000 ? 2 : p >= 10 ? 3 : p >= 1 ? 4 : Math.min(8, 2 + Math.ceil(-Math.log10(p)) + 2);
  precision.set(symbol, d);
  return d;
}

const numberFormats = new Map();
function nf(min, max) {
  const key = min + ":" + max;
  if (!numberFormats.has(key)) { numberFormats.set(key, new Intl.NumberFormat(undefined, { minimumFractionDigits: min, maximumFractionDigits: max })); }
  return numberFormats.get(key);
}

export function price(symbol, value) {
  if (value == null || value === "") { return "–"; }
  const d = decimalsFor(symbol, value);
  return nf(d, d).format(Number(value));
}

/** A money amount in the quote currency, 2 decimals (more for BTC/ETH quotes), signed when asked. */
export function money(value, currency = "USDT", { signed = false } = {}) {
  if (value == null || value === "" || !isFinite(Number(value))) { return "–"; }
  const d = currency === "BTC" || currency === "ETH" ? 6 : 2;
  const n = Number(value);
  const text = nf(d, d).format(Math.abs(n) < 0.5 * 10 ** -d ? 0 : n);
  return (signed && n > 0 ? "+" : "") + text + (currency ? " " + currency : "");
}

export function pct(value, { signed = true } = {}) {
  if (value == null || !isFinite(Number(value))) { return "–"; }
  const n = Number(value);
  return (signed && n > 0 ? "+" : "") + nf(2, 2).format(n) + " %";
}

/** A count, grouped as the user's locale groups digits ("10,000"). */
export function count(value) { return nf(0, 0).format(Number(value)); }

/** A plain ratio (profit factor): up to 2 decimals. */
export function ratio(value) {
  return value == null || !isFinite(Number(value)) ? "–" : nf(0, 2).format(Number(value));
}

export function qty(value) {
  if (value == null) { return "–"; }
  return nf(0, 8).format(Number(value));
}

export function ms(value) {
  if (value == null || !isFinite(Number(value))) { return "–"; }
  const n = Number(value);
  return (n >= 100 ? nf(0, 0) : nf(0, 1)).format(n) + " ms";
}

const dateTime = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "2-digit" });
const shortTime = new Intl.DateTimeFormat(undefined, { month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit" });

/** A moment in the user's time zone, with the date and the zone's name. */
export function time(value) {
  if (!value) { return "–"; }
  const d = value instanceof Date ? value : new Date(value);
  return isNaN(d) ? "–" : dateTime.format(d);
}

export function date(value) {
  if (!value) { return "–"; }
  const d = new Date(value);
  return isNaN(d) ? String(value) : dateOnly.format(d);
}

const utcDay = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "2-digit", weekday: "short", timeZone: "UTC" });

/** A calendar day the server counts in UTC ("2026-12-02"): shown as that day, never shifted into the user's zone. */
export function day(value) {
  const d = value ? new Date(`${value}T00:00:00Z`) : null;
  return !d || isNaN(d) ? String(value ?? "–") : utcDay.format(d);
}

/** Today as the server's UTC days are named ("2026-12-02"). */
export function utcToday(now = new Date()) { return now.toISOString().slice(0, 10); }

export function chartTime(epochSeconds) { return shortTime.format(new Date(epochSeconds * 1000)); }

/** A span of time: "3d 4h", "2h 05m", "4m 12s", "12.3 s". */
export function duration(millis) {
  if (millis == null || !isFinite(millis)) { return "–"; }
  const s = Math.max(0, millis) / 1000;
  if (s < 60) { return nf(0, 1).format(s) + " s"; }
  const m = Math.floor(s / 60), hrs = Math.floor(m / 60), days = Math.floor(hrs / 24);
  if (days > 0) { return `${days}d ${hrs % 24}h`; }
  if (hrs > 0) { return `${hrs}h ${String(m % 60).padStart(2, "0")}m`; }
  return `${m}m ${String(Math.floor(s % 60)).padStart(2, "0")}s`;
}

/** "in 4.2 s" / "3m 10s ago", relative to now. */
export function relative(value, now = Date.now()) {
  if (!value) { return "–"; }
  const delta = new Date(value).getTime() - now;
  return delta >= 0 ? "in " + duration(delta) : duration(-delta) + " ago";
}

export function since(value) { return value ? duration(Date.now() - new Date(value).getTime()) : "–"; }
