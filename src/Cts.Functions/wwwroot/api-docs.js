// The API reference page (/api-docs): lists the operations of /openapi/v1.json, read on the browser session.
// Every value from the document is put into the page as text.
"use strict";
(function () {
  const status = document.getElementById("status");
  const table = document.getElementById("ops");
  const methods = ["get", "put", "post", "delete", "patch", "head", "options"];
  function cell(row, value, className) {
    const td = row.insertCell();
    td.textContent = value;
    if (className) { td.className = className; }
    return td;
  }
  async function load() {
    try {
      const response = await fetch("/openapi/v1.json", { credentials: "same-origin" });
      if (response.status === 401) {
        window.location.assign("/signin?returnUrl=" + encodeURIComponent(window.location.pathname));
        return;
      }
      if (!response.ok) { throw new Error("GET /openapi/v1.json answered " + response.status); }
      const doc = await response.json();
      const body = table.tBodies[0];
      body.replaceChildren();
      let count = 0;
      for (const path of Object.keys(doc.paths || {}).sort()) {
        for (const [method, op] of Object.entries(doc.paths[path])) {
          if (!methods.includes(method)) { continue; }
          const row = body.insertRow();
          cell(row, method, "m " + method);
          cell(row, path, "path");
          cell(row, String(op.summary || op.description || op.operationId || (op.tags || []).join(", ")));
          cell(row, Object.keys(op.responses || {}).join(" "));
          count++;
        }
      }
      table.hidden = false;
      status.textContent = (doc.info ? String(doc.info.title) + " " + String(doc.info.version) + ": " : "") + count + " operations";
    } catch (e) {
      table.hidden = true;
      status.className = "error";
      status.textContent = e.message;
    }
  }
  load();
})();
