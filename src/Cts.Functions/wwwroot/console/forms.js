// Forms from a list of fields: labelled controls, values read back as JSON (dotted names nest: startRetry.maxAttempts),
// and the server's validation `errors` shown next to their fields.
import { h, field, showFieldErrors, replace } from "./dom.js";
import { problemBox } from "./ui.js";

/**
 * fields: [{ name, label, type: "text"|"number"|"checkbox"|"select"|"password"|"list", options, hint, optional, readOnlyOnEdit, step, min }]
 * Returns { form, values(), setErrors(problem), showProblem(problem, opts), clear() }.
 */
export function schemaForm(fields, values, { readOnly = false, editing = false, submitLabel = "Save", onSubmit, extraButtons = [] } = {}) {
  const controls = new Map();
  const message = h("div", { class: "wide form-message", "aria-live": "polite" });
  const form = h("form", { class: "edit", novalidate: true });
  for (const f of fields) {
    const value = getPath(values, f.name);
    let control;
    if (f.type === "checkbox") {
      control = h("input", { type: "checkbox", name: f.name, checked: !!value });
      form.append(h("div", { class: "field", dataset: { field: f.name } }, h("label", { class: "check" }, control, " ", f.label),
        f.hint ? h("small", { class: "hint" }, f.hint) : null, h("span", { class: "field-error", id: (control.id = "f-" + f.name.replace(/\W/g, "-")) + "-error", role: "alert" })));
      control.setAttribute("aria-describedby", control.id + "-error");
    } else {
      if (f.type === "select") {
        control = h("select", { name: f.name }, (f.options || []).map(([v, label]) => h("option", { value: v, selected: String(value ?? "") === String(v) }, label)));
      } else {
        control = h("input", {
          name: f.name, type: f.type === "list" ? "text" : f.type || "text", autocomplete: f.type === "password" ? "new-password" : "off",
          value: f.type === "password" ? "" : value == null ? "" : Array.isArray(value) ? value.join(", ") : String(value),
          step: f.step ?? (f.type === "number" ? "any" : null), min: f.min ?? null, placeholder: f.placeholder ?? null,
          inputmode: f.type === "number" ? "decimal" : null,
        });
      }
      control.id = "f-" + f.name.replace(/\W/g, "-");
      form.append(field(f.label, control, f.hint));
    }
    if (readOnly || (editing && f.readOnlyOnEdit)) { control.disabled = true; }
    controls.set(f.name, { f, control });
  }
  const buttons = h("div", { class: "buttons wide" }, readOnly ? null : h("button", { type: "submit" }, submitLabel), extraButtons);
  form.append(buttons, message);

  const api = {
    form,
    /** The form's values as JSON: numbers as numbers, empty optional fields left out, lists split on commas. */
    values({ only } = {}) {
      const out = {};
      for (const [name, { f, control }] of controls) {
        if (control.disabled && f.readOnlyOnEdit) { continue; }
        if (only && !only.includes(name)) { continue; }
        let v;
        if (f.type === "checkbox") { v = control.checked; }
        else if (control.value.trim() === "") { if (f.optional || f.type === "password") { continue; } v = f.type === "number" ? null : f.type === "list" ? [] : ""; }
        else if (f.type === "number") { v = Number(control.value); }
        else if (f.type === "list") { v = control.value.split(/[\s,]+/).filter(Boolean); }
        else { v = control.value; }
        if (f.emptyAsNull && v === "") { v = null; }
        setPath(out, name, v);
      }
      return out;
    },
    /** Field errors next to their fields; what matches no field goes into the message. */
    showProblem(problem, options) {
      const rest = showFieldErrors(form, problem?.errors);
      const shown = { ...problem, errors: rest.length ? Object.fromEntries(rest.map((x) => [x.slice(0, x.indexOf(":")), x.slice(x.indexOf(":") + 2)])) : undefined };
      replace(message, problemBox(shown, options));
    },
    note(text) { showFieldErrors(form, {}); replace(message, h("p", { class: "notice ok" }, text)); },
    clear() { showFieldErrors(form, {}); replace(message); },
  };
  if (onSubmit) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const submit = buttons.querySelector("button[type=submit]");
      submit.disabled = true;
      try { await onSubmit(api); } finally { submit.disabled = false; }
    });
  }
  return api;
}

export function getPath(obj, path) { return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj); }
function setPath(obj, path, value) {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) { o = o[k] ??= {}; }
  o[keys[keys.length - 1]] = value;
}
