namespace Cts.Functions.Observability;

/// <summary>
/// A self-contained API reference page: no CDN, no build step. It fetches <c>/openapi/v1.json</c> with the API key
/// typed into the page (kept in session storage) and lists the operations by path.
/// </summary>
internal static class ApiDocsPage
{
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CTS API reference</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.4rem; } code { font-family: ui-monospace, monospace; }
  form { margin: 1rem 0; display: flex; gap: .5rem; } input { flex: 1; padding: .3rem; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  .m { font-weight: 600; text-transform: uppercase; font-family: ui-monospace, monospace; }
  .get { color: #1a7f37; } .post { color: #0969da; } .put { color: #9a6700; } .patch { color: #8250df; } .delete { color: #cf222e; }
  #status { color: #666; } .error { color: #cf222e; }
</style>
</head>
<body>
<h1>CTS API reference</h1>
<p>Generated from <a href="/openapi/v1.json"><code>/openapi/v1.json</code></a>. Requests need an API key in the <code>X-Api-Key</code> header (viewer or above).</p>
<form id="auth"><input id="key" type="password" placeholder="API key (kept in this tab only)" autocomplete="off"><button>Load</button></form>
<p id="status">Loading…</p>
<table id="ops" hidden><thead><tr><th>Method</th><th>Path</th><th>Summary</th><th>Responses</th></tr></thead><tbody></tbody></table>
<script>
(function () {
  const keyInput = document.getElementById('key');
  const status = document.getElementById('status');
  const table = document.getElementById('ops');
  keyInput.value = sessionStorage.getItem('cts-api-key') || '';
  function cell(row, text, cls) { const td = row.insertCell(); td.textContent = text; if (cls) td.className = cls; return td; }
  async function load() {
    const headers = keyInput.value ? { 'X-Api-Key': keyInput.value } : {};
    status.className = ''; status.textContent = 'Loading…';
    try {
      const response = await fetch('/openapi/v1.json', { headers });
      if (!response.ok) throw new Error('GET /openapi/v1.json answered ' + response.status + (response.status === 401 ? ': enter an API key' : ''));
      const doc = await response.json();
      const body = table.tBodies[0]; body.replaceChildren();
      let count = 0;
      for (const path of Object.keys(doc.paths || {}).sort()) {
        for (const [method, op] of Object.entries(doc.paths[path])) {
          if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method)) continue;
          const row = body.insertRow();
          cell(row, method, 'm ' + method);
          cell(row, path).style.fontFamily = 'ui-monospace, monospace';
          cell(row, op.summary || op.description || op.operationId || (op.tags || []).join(', '));
          cell(row, Object.keys(op.responses || {}).join(' '));
          count++;
        }
      }
      table.hidden = false;
      status.textContent = (doc.info ? doc.info.title + ' ' + doc.info.version + ': ' : '') + count + ' operations';
    } catch (e) {
      table.hidden = true; status.className = 'error'; status.textContent = e.message;
    }
  }
  document.getElementById('auth').addEventListener('submit', e => { e.preventDefault(); sessionStorage.setItem('cts-api-key', keyInput.value); load(); });
  load();
})();
</script>
</body>
</html>
""";
}
