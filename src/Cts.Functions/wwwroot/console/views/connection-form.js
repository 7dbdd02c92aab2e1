// Create or edit a connection. Edits are conditional on the ETag read (If-Match); a merge patch when the server
// takes PATCH, else the whole document by PUT. Credentials are write-only: shown masked, sent only when typed.
import { h, replace } from "../dom.js";
import { get, call, enc } from "../api.js";
import * as store from "../store.js";
import { can } from "../auth.js";
import { problemBox } from "../ui.js";
import { schemaForm } from "../forms.js";
import { navigate } from "../router.js";

export function render(root, _params, { id }) {
  const creating = !id;
  const body = h("div");
  replace(root, h("div", { class: "view-head" }, h("h1", {}, creating ? "New connection" : `Connection ${id}`),
    h("a", { href: "#/connections", class: "button secondary" }, "All connections")), body);

  async function load() {
    const presets = await get("/api/presets");
    const presetOptions = [["", "default (built-in)"], ...((presets.ok ? presets.data.presets : []).filter((p) => p.id !== "default").map((p) => [p.id, `${p.id} — ${p.name}`]))];
    let current = { exchange: "paper", symbols: ["BTCUSDT"] };
    let etag = null;
    if (!creating) {
      const r = await get(`/api/connections/${enc(id)}`);
      if (!r.ok) { replace(body, problemBox(r.problem, { onRetry: load })); return; }
      current = r.data;
      etag = r.etag;
    }
    const masked = current.credentials ? `set: ${current.credentials.apiKey} — leave empty to keep` : "not set";
    const fields = [
      { name: "id", label: "Id", readOnlyOnEdit: true, hint: "Lowercase letters, digits and dashes; cannot change later." },
      { name: "name", label: "Name" },
      { name: "exchange", label: "Exchange", type: "select", options: [["paper", "paper (simulated)"], ["binance", "binance"]] },
      { name: "symbols", label: "Symbols", type: "list", hint: "Comma separated, e.g. BTCUSDT, ETHUSDT." },
      { name: "presetId", label: "Preset", type: "select", options: presetOptions, emptyAsNull: true },
      { name: "testnet", label: "Testnet", type: "checkbox" },
      { name: "autoStart", label: "Start automatically", type: "checkbox" },
      { name: "credentials.apiKey", label: "Exchange API key", type: "password", placeholder: masked, hint: "Write-only: never shown again." },
      { name: "credentials.apiSecret", label: "Exchange API secret", type: "password", placeholder: current.credentials?.hasSecret ? "set — leave empty to keep" : "not set" },
    ];
    const form = schemaForm(fields, current, {
      readOnly: !can("admin"), editing: !creating, submitLabel: creating ? "Create connection" : "Save changes",
      onSubmit: async (f) => {
        const values = f.values();
        if (values.credentials && (!values.credentials.apiKey || !values.credentials.apiSecret)) {
          f.showProblem({ title: "Both credentials are needed", errors: { "credentials.apiKey": ["give the key and the secret together"] } });
          return;
        }
        let r;
        if (creating) {
          r = await call("POST", "/api/connections", { body: values });
        } else {
          delete values.id;
          r = await call("PATCH", `/api/connections/${enc(id)}`, { body: mergePatch(current, values), ifMatch: etag, contentType: "application/merge-patch+json" });
          if (r.routeMissing) { r = await call("PUT", `/api/connections/${enc(id)}`, { body: values, ifMatch: etag }); }
        }
        if (r.ok) {
          store.connections.set(r.data.id, r.data);
          store.changed();
          if (creating) { navigate(`#/connections/${enc(r.data.id)}`); return; }
          current = r.data;
          etag = r.etag;
          f.note(`Saved: version ${r.data.version}.`);
        } else if (r.status === 412) {
          f.showProblem(r.problem, { onRetry: load, retryLabel: "Reload the current version" });
        } else {
          f.showProblem(r.problem);
        }
      },
    });
    replace(body, !can("admin") ? h("p", { class: "notice" }, "Only an admin can change connections.") : null, form.form);
  }
  load();
}

/** The fields that differ from what was read, as an RFC 7396 merge patch. */
function mergePatch(before, after) {
  const patch = {};
  for (const [k, v] of Object.entries(after)) {
    if (k === "credentials" || JSON.stringify(before[k] ?? null) !== JSON.stringify(v ?? null)) { patch[k] = v; }
  }
  return patch;
}
