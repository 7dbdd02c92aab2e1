// DOM helpers: every piece of data reaches the page as a text node or an attribute value, never as markup.
const SVG = "http://www.w3.org/2000/svg";

/** h("button", { class: "x", onclick: f, dataset: { a: 1 } }, "text", child) — creates an element with text children. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  return append(el, ...children);
}

/** An SVG element (sparklines, icons) with its attributes. */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v != null) { el.setAttribute(k, String(v)); }
  }
  return append(el, ...children);
}

function setProps(el, props) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) { continue; }
    if (k === "class") { el.className = Array.isArray(v) ? v.filter(Boolean).join(" ") : v; }
    else if (k === "text") { el.textContent = String(v); }
    else if (k === "dataset") { for (const [d, dv] of Object.entries(v)) { if (dv != null) { el.dataset[d] = String(dv); } } }
    else if (k.startsWith("on") && typeof v === "function") { el.addEventListener(k.slice(2), v); }
    else if (k === "value" || k === "checked" || k === "disabled" || k === "selected" || k === "hidden") { el[k] = v; }
    else if (k === "style") { throw new Error("no inline styles: use a class"); }
    else { el.setAttribute(k, v === true ? "" : String(v)); }
  }
}

/** Appends children (nested arrays allowed; strings become text nodes; null and false are skipped). */
export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) { continue; }
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

/** A labelled form field: <label for> + control (+ an error slot the form fills from the server's `errors`). */
export function field(label, control, hint) {
  const id = control.id || (control.id = "f-" + Math.random().toString(36).slice(2, 9));
  const error = h("span", { class: "field-error", id: id + "-error", role: "alert" });
  control.setAttribute("aria-describedby", error.id);
  return h("div", { class: "field", dataset: { field: control.name || "" } },
    h("label", { for: id }, label), control, hint ? h("small", { class: "hint" }, hint) : null, error);
}

/** Shows the server's per-field validation errors next to the fields of `form` (keys like `startRetry.maxAttempts`, `symbols[0]`). */
export function showFieldErrors(form, errors) {
  for (const slot of form.querySelectorAll(".field-error")) { slot.textContent = ""; }
  for (const c of form.querySelectorAll("[aria-invalid]")) { c.removeAttribute("aria-invalid"); }
  const unmatched = [];
  for (const [key, messages] of Object.entries(errors || {})) {
    const name = key.replace(/\[\d+\]/g, "");
    let control = form.querySelector(`[name="${CSS.escape(key)}"]`) || form.querySelector(`[name="${CSS.escape(name)}"]`);
    for (let k = name; !control && k.includes("."); k = k.slice(0, k.lastIndexOf("."))) {
      control = form.querySelector(`[name="${CSS.escape(k)}"]`);
    }
    if (!control) { unmatched.push(`${key}: ${messages.join("; ")}`); continue; }
    control.setAttribute("aria-invalid", "true");
    const slot = form.querySelector(`#${CSS.escape(control.id)}-error`);
    if (slot) { slot.textContent = (slot.textContent ? slot.textContent + "; " : "") + messages.join("; "); }
  }
  return unmatched;
}

const FOCUSABLE = "a[href], button, input, select, textarea";
const ROW = "[data-engine], [data-connection], [data-position], [data-preset], [data-backup], [data-node]";

/**
 * Re-renders part of a live view without losing the keyboard user's place: the focused control is found again after
 * `render` by its row's key and its position in the row, and focused.
 */
export function keepFocus(container, render) {
  const active = document.activeElement;
  let place = null;
  if (active && active !== document.body && container.contains(active)) {
    const row = active.closest(ROW);
    const scope = row && container.contains(row) ? row : container;
    place = { key: row ? [...row.attributes].find((a) => a.name.startsWith("data-")) : null, index: [...scope.querySelectorAll(FOCUSABLE)].indexOf(active) };
    place.key &&= { name: place.key.name, value: place.key.value };
  }
  render();
  if (!place) { return; }
  const scope = place.key ? container.querySelector(`[${place.key.name}="${CSS.escape(place.key.value)}"]`) : container;
  const target = scope ? [...scope.querySelectorAll(FOCUSABLE)][place.index] : null;
  target?.focus();
}

/**
 * Makes `parent`'s children exactly `nodes`, in order, moving only what is out of place: nodes that stay keep
 * their DOM identity, so focus, selection and hover survive a live update.
 */
export function reconcile(parent, nodes) {
  nodes.forEach((node, i) => {
    if (parent.children[i] !== node) { parent.insertBefore(node, parent.children[i] ?? null); }
  });
  while (parent.children.length > nodes.length) { parent.lastElementChild.remove(); }
}
