// The engine inspector (the durable-dashboard view for ops): what happened to engine X and why.
import { h, replace } from "../dom.js";
import { get, enc } from "../api.js";
import * as fmt from "../format.js";
import { can } from "../auth.js";
import { badge, problemBox, notAvailable, table, td, facts } from "../ui.js";

const REFRESH_MS = 5000;

export function render(root, params, { id }) {
  const body = h("div", { id: "inspector" });
  const filter = h("input", { type: "search", id: "history-filter", name: "q", value: params.get("q") || "", placeholder: "actor, action, reason, outcome", autocomplete: "off" });
  let last = null;
  replace(root,
    h("div", { class: "view-head" }, h("h1", {}, "Inspector: ", id),
      h("div", { class: "buttons" }, h("a", { href: `#/engines/${enc(id)}`, class: "button secondary" }, "Engine"),
        h("button", { type: "button", class: "secondary", id: "inspect-refresh", onclick: () => load() }, "Refresh"),
        can("admin") ? h("a", { href: "/dashboard", class: "button secondary" }, "Orleans dashboard") : null)),
    body);
  filter.addEventListener("input", () => last && draw(last));

  async function load() {
    const r = await get(`/api/engines/${enc(id)}/inspect`);
    if (!r.ok) { replace(body, r.routeMissing ? notAvailable("The inspector") : problemBox(r.problem, { onRetry: load })); return; }
    last = r.data;
    draw(r.data);
  }

  function draw(v) {
    const s = v.status;
    const procErrors = v.processors.filter((p) => p.lastError);
    const text = filter.value.trim().toLowerCase();
    const history = v.transitions.filter((e) => !text || [e.actor, e.action, e.reason, e.outcome, e.fromState, e.toState, e.correlationId].some((x) => x && x.toLowerCase().includes(text)));
    replace(body,
      h("div", { class: "grid" },
        h("section", { class: "panel", "aria-labelledby": "now-h" }, h("h2", { id: "now-h" }, "Now"),
          facts([
            ["State", h("span", {}, badge(v.state), " since ", fmt.time(v.since), ` (${fmt.since(v.since)})`)],
            ["Node", h("code", { id: "inspect-node" }, v.node)],
            ["Timers", v.status.state === "Running" || v.status.state === "Paused" ? (v.processors.some((p) => p.nextDueAt) ? "armed" : "not armed") : "none (not running)"],
            ["Open positions", String(s.openPositions)],
            ["Restart required", s.restartRequired ? `yes: ${s.restartReason}` : "no"],
            ["Storage", s.degraded ? "degraded: " + s.degraded : "ok"],
            ["Inspected", fmt.time(v.at)],
          ])),
        h("section", { class: "panel", "aria-labelledby": "versions-h" }, h("h2", { id: "versions-h" }, "Versions"),
          facts([
            ["Connection", version(v.versions.connection)],
            ["Preset " + v.versions.preset.id, version(v.versions.preset)],
          ])),
        h("section", { class: "panel", "aria-labelledby": "watchdog-h" }, h("h2", { id: "watchdog-h" }, "Watchdog reminder"),
          facts([
            ["Exists", v.watchdog.exists ? "yes" : "no"],
            ["Period", v.watchdog.periodSeconds != null ? fmt.duration(v.watchdog.periodSeconds * 1000) : "–"],
            ["Next", v.watchdog.nextAt ? `${fmt.time(v.watchdog.nextAt)} (${fmt.relative(v.watchdog.nextAt)})` : "–"],
          ]))),
      h("section", { "aria-labelledby": "errors-h" }, h("h2", { id: "errors-h" }, "Last errors"),
        !s.lastError && !procErrors.length ? h("p", { class: "empty" }, "No errors.") : null,
        s.lastError ? h("div", { class: "problem" }, h("strong", {}, "engine · ", s.lastError.kind), ": ", s.lastError.message, h("div", { class: "muted" }, fmt.time(s.lastError.at))) : null,
        procErrors.map((p) => h("div", { class: "problem" }, h("strong", {}, p.name), ": ", p.lastError,
          h("div", { class: "muted" }, `${p.consecutiveFailures} in a row, ${p.failures} in all; last run ${fmt.time(p.lastRunAt)}`)))),
      h("section", { "aria-labelledby": "proc-h" }, h("h2", { id: "proc-h" }, "Processors"),
        table(["Processor", "Every", "Next tick", "Last run", "Last success", "Runs", "Failures", "In a row"], v.processors.map((p) => h("tr", { dataset: { processor: p.name } },
          td("Processor", p.name), td("Every", fmt.ms(p.intervalMs)),
          td("Next tick", p.nextDueAt ? `${fmt.time(p.nextDueAt)} (${fmt.relative(p.nextDueAt, new Date(v.at).getTime())})` : "–"),
          td("Last run", fmt.time(p.lastRunAt)), td("Last success", fmt.time(p.lastSuccessAt)),
          td("Runs", String(p.runs)), td("Failures", String(p.failures)), td("In a row", String(p.consecutiveFailures)))), { className: "cards" })),
      h("section", { "aria-labelledby": "retry-h" }, h("h2", { id: "retry-h" }, "Retries and escalations"),
        facts([
          ["Current", v.retry.current ? (v.retry.current.nextAttemptAt
            ? `attempt ${v.retry.current.attempt} of ${v.retry.current.maxAttempts} at ${fmt.time(v.retry.current.nextAttemptAt)} (${fmt.relative(v.retry.current.nextAttemptAt)})`
            : `gave up after ${v.retry.current.attempt} of ${v.retry.current.maxAttempts}`) : "no retry scheduled"],
          ["Escalated", v.retry.escalated ? "yes — needs an operator" : "no"],
        ]),
        h("h3", {}, "Plan (current settings)"),
        table(["Attempt", "Delay before it", "Due"], v.retry.plan.map((step) => h("tr", { class: step.dueAt ? "current" : "" },
          td("Attempt", String(step.attempt)), td("Delay", fmt.duration(step.delaySeconds * 1000)), td("Due", step.dueAt ? fmt.time(step.dueAt) : "–"))), { className: "cards retry-plan" }),
        h("h3", {}, `Escalations (${v.escalations.length})`),
        v.escalations.length ? table(["At", "Reason"], v.escalations.map((e) => h("tr", {}, td("At", fmt.time(e.at)), td("Reason", e.reason ?? "–"))), { className: "cards" })
          : h("p", { class: "empty" }, "None.")),
      h("section", { "aria-labelledby": "history-h" }, h("h2", { id: "history-h" }, `History (${v.transitions.length} newest)`),
        h("div", { class: "toolbar" }, h("label", { for: "history-filter" }, "Filter"), filter),
        table(["At", "Actor", "Action", "From → to", "Reason", "Outcome", "Correlation"], history.map((e) => h("tr", { class: "o-" + e.outcome },
          td("At", fmt.time(e.at)), td("Actor", e.actor), td("Action", e.action), td("From → to", `${e.fromState ?? "–"} → ${e.toState ?? "–"}`),
          td("Reason", e.reason ?? "–"), td("Outcome", e.outcome), td("Correlation", h("code", {}, e.correlationId ?? "–")))), { className: "cards history" })));
    if (document.activeElement === document.body) { /* keep focus where the user left it */ }
  }

  load();
  const timer = setInterval(() => { if (!document.getElementById("history-filter")?.matches(":focus")) { load(); } }, REFRESH_MS);
  return () => clearInterval(timer);
}

function version(v) {
  if (v.running === 0) { return `not started yet (stored v${v.current ?? "–"})`; }
  return v.current == null || v.current === v.running ? `v${v.running} (current)` : `runs v${v.running}, stored v${v.current} — restart to pick it up`;
}
