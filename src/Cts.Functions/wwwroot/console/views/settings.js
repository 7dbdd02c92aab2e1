// The settings document, edited with its ETag; validation errors next to their fields.
import { h, replace } from "../dom.js";
import { get, call } from "../api.js";
import { can } from "../auth.js";
import { problemBox } from "../ui.js";
import { schemaForm } from "../forms.js";

const FIELDS = [
  { name: "autoStartOnBoot", label: "Start engines with autoStart on boot", type: "checkbox" },
  { name: "autoRestartOnConfigChange", label: "Restart running engines when their configuration changes", type: "checkbox" },
  { name: "connectionMonitorSeconds", label: "Connection monitor every (s)", type: "number", step: "1" },
  { name: "retentionDays", label: "Keep audit and closed positions (days)", type: "number", step: "1" },
  { name: "exchangeTimeoutSeconds", label: "Exchange call timeout (s)", type: "number", step: "1" },
  { name: "maxConsecutiveCycleFailures", label: "Failed cycles in a row before Error", type: "number", step: "1" },
  { name: "startRetry.maxAttempts", label: "Start retries: attempts", type: "number", step: "1" },
  { name: "startRetry.baseDelaySeconds", label: "Start retries: first delay (s)", type: "number", step: "1" },
  { name: "startRetry.maxDelaySeconds", label: "Start retries: longest delay (s)", type: "number", step: "1" },
];

export function render(root) {
  const body = h("div", { id: "settings" });
  replace(root, h("h1", {}, "Settings"), body);
  async function load() {
    const r = await get("/api/settings");
    if (!r.ok) { replace(body, problemBox(r.problem, { onRetry: load })); return; }
    let etag = r.etag;
    const form = schemaForm(FIELDS, r.data, {
      readOnly: !can("admin"),
      onSubmit: async (f) => {
        const s = await call("PUT", "/api/settings", { body: f.values(), ifMatch: etag });
        if (s.ok) { etag = s.etag; f.note("Saved. Engines read the settings when they start."); }
        else { f.showProblem(s.problem, s.status === 412 ? { onRetry: load, retryLabel: "Reload the current settings" } : undefined); }
      },
    });
    replace(body, !can("admin") ? h("p", { class: "notice" }, "Only an admin can change the settings.") : null, form.form);
  }
  load();
}
