// Engine and connection actions as the console runs them: what the state and the role allow, confirmation for the
// destructive ones, "close positions?" on stop and delete, and errors kept per engine to show inline with a Retry.
// Deleting a connection: the API deletes only an Idle, Enabled or Stopped engine (SPEC §3), so an active one is stopped
// first (its positions kept), then DELETE ?closePositions=true closes them and deletes in the same request; without
// that choice the API refuses while positions are open, naming them, and the refusal is shown inline.
import { h, append } from "./dom.js";
import { call, enc } from "./api.js";
import { can } from "./auth.js";
import { confirmDialog, problemBox } from "./ui.js";
import * as store from "./store.js";

export const LIFECYCLE = ["start", "pause", "resume", "stop", "restart"];
const CONNECTION_ACTIONS = ["enable", "disable"];
const ACTIVE = ["Initializing", "Running", "Paused", "Error"];
const LABELS = { start: "Start", pause: "Pause", resume: "Resume", stop: "Stop", restart: "Restart", enable: "Enable", disable: "Disable", delete: "Delete" };
export const actionErrors = new Map(); // connectionId → { action, options, problem }

const HINTS = {
  Idle: "Enable the connection first, then start it.",
  Enabled: "Ready to start.",
  Initializing: "Starting: checking the exchange and loading the trade journal.",
  Stopping: "Stopping: the cycle in flight finishes first.",
};

/** What the caller's role needs for an action. */
export const roleFor = (action) => (action === "delete" ? "admin" : "operator");

/** Runs an action on an engine: confirms first when it is destructive; resolves true when the server accepted it. */
export async function runAction(id, action, { status, skipConfirm = false, options } = {}) {
  let opts = options ?? {};
  if (!skipConfirm && !options) {
    const chosen = await confirmFor(id, action, status);
    if (!chosen) { return false; }
    opts = chosen;
  }
  let result;
  if (CONNECTION_ACTIONS.includes(action)) {
    result = await call("POST", `/api/connections/${enc(id)}/${action}`);
  } else if (action === "delete") {
    result = await deleteConnection(id, !!opts.closePositions, store.engines.get(id) ?? status);
  } else {
    const body = {};
    if (action === "stop") { body.closePositions = !!opts.closePositions; }
    if (opts.reason) { body.reason = opts.reason; }
    result = await call("POST", `/api/engines/${enc(id)}/${action}`, Object.keys(body).length ? { body } : {});
  }
  if (result.ok) {
    actionErrors.delete(id);
    if (result.data?.status) { store.upsertEngine(result.data.status); }
    if (action === "delete") { store.connections.delete(id); store.engines.delete(id); }
    store.changed();
    return true;
  }
  actionErrors.set(id, { action, options: opts, problem: result.problem });
  store.changed();
  return false;
}

/** Stops an active engine (positions kept for the delete to close or to refuse over), then deletes the connection. */
async function deleteConnection(id, closePositions, status) {
  if (status && ACTIVE.includes(status.state)) {
    const stop = await call("POST", `/api/engines/${enc(id)}/stop`, { body: { closePositions: false, reason: "connection deleted" } });
    if (!stop.ok) { return stop; }
    if (stop.data?.status) { store.upsertEngine(stop.data.status); }
  }
  return call("DELETE", `/api/connections/${enc(id)}${closePositions ? "?closePositions=true" : ""}`);
}

async function confirmFor(id, action, status) {
  const open = status?.openPositions ?? 0;
  if (action === "stop") {
    return confirmDialog({
      title: `Stop ${id}?`,
      message: open > 0 ? `The engine has ${open} open position${open === 1 ? "" : "s"}. Stopped engines do not manage them.` : "No new cycles run after it stops.",
      confirmLabel: "Stop engine",
      danger: true,
      fields: [
        h("label", { class: "check" }, h("input", { type: "checkbox", name: "closePositions", checked: open > 0 }), " Close open positions at market"),
        h("label", { class: "stack" }, "Reason (optional)", h("input", { type: "text", name: "reason", maxlength: 500, autocomplete: "off" })),
      ],
    });
  }
  if (action === "restart") {
    return confirmDialog({ title: `Restart ${id}?`, message: "It stops (positions stay open) and starts with the current configuration.", confirmLabel: "Restart", danger: true,
      fields: [h("label", { class: "stack" }, "Reason (optional)", h("input", { type: "text", name: "reason", maxlength: 500, autocomplete: "off" }))] });
  }
  if (action === "disable") {
    return confirmDialog({ title: `Disable ${id}?`, message: "The engine goes back to Idle and cannot start until enabled again.", confirmLabel: "Disable", danger: true });
  }
  if (action === "delete") {
    const active = status && ACTIVE.includes(status.state);
    const refusedOver = actionErrors.get(id)?.problem?.openPositions?.length ?? 0;
    const holding = Math.max(open, refusedOver);
    return confirmDialog({
      title: `Delete connection ${id}?`, danger: true, confirmLabel: "Delete",
      message: [
        "The connection and its engine are removed. This cannot be undone (backups keep the configuration).",
        active ? ` Its engine is ${status.state}: it is stopped first.` : "",
        holding > 0 ? ` It holds ${holding} open position${holding === 1 ? "" : "s"}: unless they are closed, the server refuses the delete and they stay open.` : "",
      ].join(""),
      fields: [h("label", { class: "check" }, h("input", { type: "checkbox", name: "closePositions", checked: holding > 0 }),
        " Close its open positions at market first (exit reason connection-deleted)")],
    });
  }
  return {};
}

/** The action buttons the engine's state and the caller's role allow, and a word on what is not possible and why. */
export function actionBar(status, { includeDelete = false } = {}) {
  const bar = h("div", { class: "actions" });
  const allowed = status.allowedActions || [];
  const offered = [...LIFECYCLE, ...CONNECTION_ACTIONS, ...(includeDelete ? ["delete"] : [])].filter((a) => allowed.includes(a));
  const permitted = offered.filter((a) => can(roleFor(a)));
  for (const action of permitted) {
    append(bar, h("button", {
      type: "button", class: action === "stop" || action === "delete" ? "danger" : "",
      dataset: { engine: status.connectionId, action },
      "aria-label": `${LABELS[action]} ${status.connectionId}`,
      onclick: (e) => { e.currentTarget.disabled = true; runAction(status.connectionId, action, { status }).finally(() => store.changed()); },
    }, LABELS[action]));
  }
  if (offered.length > 0 && permitted.length === 0) {
    append(bar, h("small", { class: "hint" }, "Read-only: your role (", roleName(), ") cannot act on engines."));
  } else if (HINTS[status.state]) {
    append(bar, h("small", { class: "hint" }, HINTS[status.state]));
  }
  return bar;
}

function roleName() { return can("admin") ? "admin" : can("operator") ? "operator" : "viewer"; }

/**
 * The last refused action of an engine, inline, with a Retry that repeats it as it was asked; a delete refused over open
 * positions (the problem names them) offers to delete again, the dialog then set to close them.
 */
export function actionError(id) {
  const failed = actionErrors.get(id);
  if (!failed) { return null; }
  const overPositions = failed.action === "delete" && failed.problem.openPositions?.length > 0;
  return problemBox({ ...failed.problem, title: `${LABELS[failed.action] ?? failed.action} failed: ${failed.problem.title ?? ""}` }, {
    onRetry: overPositions
      ? () => runAction(id, "delete", { status: store.engines.get(id) })
      : () => runAction(id, failed.action, { options: failed.options, status: store.engines.get(id) }),
    retryLabel: overPositions ? "Delete, closing them…" : "Retry",
    onDismiss: () => { actionErrors.delete(id); store.changed(); },
  });
}
