// Backups: the snapshots the server takes after every change, export, import with a dry-run preview, restore.
import { h, replace } from "../dom.js";
import { get, call, enc } from "../api.js";
import { can } from "../auth.js";
import { problemBox, table, td, confirmDialog } from "../ui.js";
import * as fmt from "../format.js";

export function render(root) {
  const list = h("div", { id: "backup-list" });
  const preview = h("section", { id: "preview", "aria-live": "polite" });
  const text = h("textarea", { id: "import-text", name: "document", spellcheck: "false", placeholder: '{ "format": 1, "connections": [...], "presets": [...], "settings": {...} }' });
  const file = h("input", { type: "file", id: "import-file", accept: "application/json,.json" });
  file.addEventListener("change", async () => { if (file.files[0]) { text.value = await file.files[0].text(); } });
  const exportError = h("div");
  replace(root, h("h1", {}, "Backups"),
    !can("admin") ? h("p", { class: "notice" }, "Backups, export and import need the admin role (they carry encrypted credentials).") : null,
    h("section", {}, h("h2", {}, "Export"), h("p", {}, "The whole configuration (credentials stay encrypted) as a JSON file."),
      h("button", { type: "button", id: "export", onclick: doExport, disabled: !can("admin") }, "Download export"), exportError),
    h("section", {}, h("h2", {}, "Import"),
      h("div", { class: "field" }, h("label", { for: "import-file" }, "From a file"), file),
      h("div", { class: "field" }, h("label", { for: "import-text" }, "Or paste the document"), text),
      h("div", { class: "buttons" }, h("button", { type: "button", id: "import-preview", disabled: !can("admin"), onclick: () => importDoc(true) }, "Preview import (dry run)"))),
    preview,
    h("section", {}, h("h2", {}, "Snapshots"), list));

  async function doExport() {
    const r = await get("/api/config/export");
    if (!r.ok) { replace(exportError, problemBox(r.problem)); return; }
    replace(exportError);
    const blob = new Blob([JSON.stringify(r.data, null, 2)], { type: "application/json" });
    const a = h("a", { href: URL.createObjectURL(blob), download: `cts-config-${new Date().toISOString().replace(/[:.]/g, "")}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  function parse() {
    try { return { doc: JSON.parse(text.value) }; } catch (e) { return { error: { title: "Not valid JSON", detail: e.message } }; }
  }

  async function importDoc(dryRun) {
    const { doc, error } = parse();
    if (error) { replace(preview, problemBox(error)); return; }
    if (!dryRun && !await confirmDialog({ title: "Apply this import?", message: "Creates and updates what the preview listed; a backup is taken first.", confirmLabel: "Import", danger: true })) { return; }
    const r = await call("POST", `/api/config/import${dryRun ? "?dryRun=true" : ""}`, { body: doc });
    showReport(r, dryRun ? "Import preview" : "Import", () => importDoc(false));
  }

  async function restore(name, dryRun) {
    if (!dryRun && !await confirmDialog({ title: `Restore ${name}?`, message: "The configuration is set back to this snapshot (items it does not name are kept); a backup is taken first.", confirmLabel: "Restore", danger: true })) { return; }
    const r = await call("POST", `/api/config/backups/${enc(name)}/restore${dryRun ? "?dryRun=true" : ""}`);
    showReport(r, dryRun ? `Restore preview: ${name}` : `Restore: ${name}`, () => restore(name, false));
    if (!dryRun && r.ok) { load(); }
  }

  function showReport(r, title, apply) {
    const report = r.ok ? r.data : r.data?.items ? { dryRun: false, applied: false, items: r.data.items, blockedBy: r.data.engines ?? [] } : null;
    replace(preview, h("h2", {}, title),
      !r.ok ? problemBox(r.problem) : null,
      report ? [
        h("p", {}, report.dryRun ? "Nothing was written. " : report.applied ? "Applied. " : "Not applied. ",
          report.backupBefore ? `Backup taken before: ${report.backupBefore}. ` : "",
          report.blockedBy?.length ? `Blocked by active engines: ${report.blockedBy.join(", ")} — stop them first.` : ""),
        table(["Kind", "Id", "Outcome"], report.items.map((i) => h("tr", { class: "o-" + i.outcome }, td("Kind", i.kind), td("Id", i.id), td("Outcome", i.outcome))), { className: "cards import-items" }),
        report.dryRun && !report.blockedBy?.length ? h("div", { class: "buttons" }, h("button", { type: "button", id: "apply", class: "danger", onclick: apply }, "Apply")) : null,
      ] : null);
    preview.querySelector("button#apply")?.focus();
  }

  async function load() {
    if (!can("admin")) { return; }
    const r = await get("/api/config/backups");
    if (!r.ok) { replace(list, problemBox(r.problem, { onRetry: load })); return; }
    replace(list, r.data.items.length ? table(["Snapshot", "Taken", "Size", ""], r.data.items.map((b) => h("tr", { dataset: { backup: b.name } },
      td("Snapshot", h("code", {}, b.name)), td("Taken", fmt.time(b.createdAt)), td("Size", `${new Intl.NumberFormat().format(b.size)} bytes`),
      td("", h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", dataset: { restorePreview: b.name }, onclick: () => restore(b.name, true) }, "Preview restore"))))), { className: "cards backups" })
      : h("p", { class: "empty" }, "No snapshots yet: they are taken after every configuration change."));
  }
  load();
}
