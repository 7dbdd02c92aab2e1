using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Observability;

/// <summary>
/// <c>/metrics</c> (viewer), <c>/openapi/v1.json</c> and <c>/api-docs</c> (viewer) and the Orleans dashboard (admin).
/// The Prometheus exporter renames the instruments: unit suffix on histograms, <c>_total</c> on counters.
/// </summary>
public sealed partial class ObservabilityTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Refresh the engine counts quickly so the test does not wait out the production 10 s.</summary>
    protected override IReadOnlyDictionary<string, string?>? Overrides => new Dictionary<string, string?>
    {
        ["Observability:EngineStatesRefreshSeconds"] = "0.5",
    };

    [Fact]
    public async Task Metrics_expose_engines_cycles_exchange_calls_and_storage_writes_in_prometheus_format_to_viewers()
    {
        await Client.StartPaperEngineAsync("m1");
        await Eventually.UntilAsync(async () => (await Client.StatusAsync("m1")).Runs("strategies") >= 3, Deadline, "three strategy cycles of m1");

        using var viewer = Host.CreateClient(Roles.Viewer);
        var text = await Eventually.UntilAsync(
            async () => await (await viewer.GetAsync("/metrics")).Content.ReadAsStringAsync(),
            t => EnginesRunning().IsMatch(t) && t.Contains("cts_cycle_duration_milliseconds_bucket{", StringComparison.Ordinal)
                && t.Contains("cts_exchange_calls_total{", StringComparison.Ordinal)
                && t.Contains("cts_storage_write_duration_milliseconds_count", StringComparison.Ordinal)
                && t.Contains("cts_cycle_lag_milliseconds_bucket{", StringComparison.Ordinal)
                && t.Contains("cts_storage_writes_total{", StringComparison.Ordinal),
            Deadline, "all CTS series on /metrics");

        Assert.Matches(EnginesRunning(), text);
        Assert.Contains("# TYPE cts_engines gauge", text);
        Assert.Matches(@"cts_engines\{[^}]*state=""Idle""[^}]*\} 0", text);
        Assert.Contains("# TYPE cts_cycle_duration_milliseconds histogram", text);
        Assert.Matches(@"cts_cycle_duration_milliseconds_count\{(?=[^}]*outcome=""success"")(?=[^}]*processor=""strategies"")[^}]*\} [1-9]", text);
        Assert.Contains("# TYPE cts_exchange_calls_total counter", text);
        Assert.Matches(@"cts_exchange_calls_total\{(?=[^}]*operation=""\w+"")(?=[^}]*outcome=""\w+"")[^}]*\} [1-9]", text);
        Assert.Contains("# TYPE cts_storage_write_duration_milliseconds histogram", text);
        Assert.Matches(@"cts_storage_write_duration_milliseconds_count(\{[^}]*\})? [1-9]", text);
        Assert.Contains("# TYPE cts_cycle_lag_milliseconds histogram", text);
        Assert.Matches(@"cts_cycle_lag_milliseconds_count\{[^}]*processor=""strategies""[^}]*\} [1-9]", text);
        Assert.Contains("# TYPE cts_storage_writes_total counter", text);
        Assert.Matches(@"cts_storage_writes_total\{[^}]*table=""grainstate""[^}]*\} [1-9]", text);
    }

    [Fact]
    public async Task Metrics_need_a_viewer_key()
    {
        using var anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        using var viewer = Host.CreateClient(Roles.Viewer);
        var response = await viewer.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_engine_api_and_the_reference_page_reads_it()
    {
        using var anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        using var viewer = Host.CreateClient(Roles.Viewer);

        var response = await viewer.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/engines", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/dashboard", StringComparison.Ordinal));

        var page = await viewer.GetAsync("/api-docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        // The page's script is a file of its own (the CSP allows no inline script) that reads the document.
        Assert.Contains("<script src=\"/api-docs.js\"></script>", html);
        Assert.DoesNotContain("https://", html);
        var script = await viewer.GetStringAsync("/api-docs.js");
        Assert.Contains("fetch(\"/openapi/v1.json\"", script);
        Assert.DoesNotContain("innerHTML", script);
    }

    [Fact]
    public async Task Dashboard_is_for_admins_only()
    {
        using var anonymous = Host.CreateClient();
        using var viewer = Host.CreateClient(Roles.Viewer);
        using var @operator = Host.CreateClient(Roles.Operator);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await @operator.GetAsync("/dashboard")).StatusCode);
        var admin = await Client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal("text/html", admin.Content.Headers.ContentType?.MediaType);

        // Silo views: this silo's address works, garbage is a 400 problem (the dashboard alone would answer 500).
        var silo = Host.Services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>().SiloAddress.ToParsableString();
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/dashboard/SiloProperties/{silo}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/dashboard/SiloProperties/not-a-silo")).StatusCode);
        // The live log stream is switched off.
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/dashboard/Trace")).StatusCode);
    }

    [GeneratedRegex(@"cts_engines\{[^}]*state=""Running""[^}]*\} [1-9]")]
    private static partial Regex EnginesRunning();
}
