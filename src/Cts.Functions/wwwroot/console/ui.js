// Shared pieces of the console: state badges, inline problems with their retry, confirmation dialogs, sparklines.
import { h, svg, append } from "./dom.js";
import * as fmt from "./format.js";

export function badge(state) {
  return h("span", { class: `badge s-${String(state).toLowerCase()}`, dataset: { state } }, state ?? "Unknown");
}

/**
 * A problem shown where it happened: title, detail, the fields at fault, the engine's allowed actions for a lifecycle
 * conflict, Retry-After, and a Retry button when the caller can repeat what failed.
 */
export function problemBox(problem, { onRetry, retryLabel = "Retry", onDismiss } = {}) {
  const box = h("div", { class: "problem", role: "alert" });
  append(box,
    h("strong", {}, problem.title || "Request failed"),
    problem.status ? h("span", { class: "muted" }, ` (${problem.status})`) : null,
    problem.detail ? h("div", {}, problem.detail) : null);
  if (problem.errors) {
    append(box, h("ul", { class: "errors" }, Object.entries(problem.errors).map(([k, v]) => h("li", {}, h("code", {}, k), ": ", [].concat(v).join("; ")))));
  }
  if (problem.openPositions?.length) {
    append(box, h("div", {}, "Open positions:"), h("ul", { class: "open-positions" }, problem.openPositions.map((p) =>
      h("li", { dataset: { openPosition: p.id } }, `${p.symbol} ${fmt.qty(p.quantity)} at ${fmt.price(p.symbol, p.entryPrice)}, opened ${fmt.time(p.openedAt)} `, h("code", {}, p.id)))));
  }
  if (problem.currentState) {
    append(box, h("div", {}, "The engine is ", badge(problem.currentState),
      Array.isArray(problem.allowedActions) ? `; it allows: ${problem.allowedActions.join(", ") || "nothing"}` : ""));
  }
  if (problem.retryAfter) { append(box, h("div", {}, `The server asks to retry after ${problem.retryAfter} s.`)); }
  const buttons = h("div", { class: "buttons" });
  if (onRetry) { append(buttons, h("button", { type: "button", class: "retry", onclick: onRetry }, retryLabel)); }
  if (onDismiss) { append(buttons, h("button", { type: "button", class: "secondary", onclick: onDismiss }, "Dismiss")); }
  if (buttons.childElementCount) { append(box, buttons); }
  return box;
}

/** "Not available on this server yet" for a route another part of the product has not shipped here. */
export function notAvailable(what) {
  return h("p", { class: "notice not-available" }, `${what} is not available on this server yet.`);
}

/**
 * A modal confirmation (a <dialog>, never confirm()): resolves to null when cancelled, else to the values of its
 * inputs. `fields` are extra controls (e.g. a "close positions" checkbox or a reason).
 */
export function confirmDialog({ title, message, confirmLabel = "Confirm", danger = false, fields = [] }) {
  return new Promise((resolve) => {
    const form = h("form", { method: "dialog", class: "dialog-form" },
      h("h2", {}, title),
      message ? h("p", {}, message) : null,
      fields,
      h("div", { class: "buttons" },
        h("button", { type: "submit", value: "ok", class: danger ? "danger" : "" }, confirmLabel),
        h("button", { type: "submit", value: "cancel", class: "secondary", formnovalidate: true }, "Cancel")));
    const dialog = h("dialog", { class: "confirm", "aria-label": title }, form);
    document.body.append(dialog);
    dialog.addEventListener("close", () => {
      const values = {};
      for (const el of form.elements) {
        if (el.name) { values[el.name] = el.type === "checkbox" ? el.checked : el.value; }
      }
      dialog.remove();
      resolve(dialog.returnValue === "ok" ? values : null);
    });
    dialog.showModal();
    form.querySelector("button[value=cancel]").focus();
  });
}

/** A small SVG line of the last values (cycle latency), scaled to its own max, with the last value as its title. */
export function sparkline(values, { width = 72, height = 18, label = "" } = {}) {
  const box = svg("svg", { class: "spark", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label });
  if (values.length < 2) { return box; }
  const max = Math.max(...values, 1), min = Math.min(...values, 0);
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - ((v - min) / (max - min || 1)) * (height - 2)).toFixed(1)}`).join(" ");
  box.append(svg("polyline", { points, fill: "none", "stroke-width": 1.5 }), svg("title", {}, label));
  return box;
}

/** A definition list of label → value pairs. */
export function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.filter(Boolean).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "–")]));
}

export function signed(value, text) {
  return h("span", { class: Number(value) > 0 ? "pos" : Number(value) < 0 ? "neg" : "" }, text);
}

export function pnlCell(value, pctValue, currency) {
  return h("span", {}, signed(value, fmt.money(value, currency, { signed: true })), pctValue != null ? h("small", { class: "muted" }, " " + fmt.pct(pctValue)) : null);
}

export function table(headers, rows, { caption, className } = {}) {
  return h("div", { class: "table-wrap" }, h("table", { class: className || "" },
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows)));
}

/** A <td> that carries its column name, so narrow screens can show rows as labelled cards. */
export function td(label, ...content) {
  return h("td", { dataset: { label } }, h("div", { class: "cell" }, content));
}
