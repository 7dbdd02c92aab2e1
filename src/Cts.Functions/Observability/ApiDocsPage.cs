namespace Cts.Functions.Observability;

/// <summary>
/// A self-contained API reference page: no CDN, no build step, no inline script or style (the CSP allows neither).
/// Its script (<c>wwwroot/api-docs.js</c>) fetches <c>/openapi/v1.json</c> on the browser session from
/// <c>/signin</c> and lists the operations by path, every value as text.
/// </summary>
internal static class ApiDocsPage
{
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CTS API reference</title>
<link rel="stylesheet" href="/api-docs.css">
</head>
<body>
<h1>CTS API reference</h1>
<p>Generated from <a href="/openapi/v1.json"><code>/openapi/v1.json</code></a>. API clients send a key in the
<code>X-Api-Key</code> header; this page uses your browser session.</p>
<p id="status">Loading…</p>
<table id="ops" hidden><thead><tr><th>Method</th><th>Path</th><th>Summary</th><th>Responses</th></tr></thead><tbody></tbody></table>
<script src="/api-docs.js"></script>
</body>
</html>
""";
}
