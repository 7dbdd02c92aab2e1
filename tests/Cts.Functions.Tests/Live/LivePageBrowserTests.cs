using System.Net.Http.Json;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Live;

/// <summary>
/// The live page (<c>/live.html</c>; the console is at <c>/</c>) in a real browser (Debian's Chromium driven by playwright-core, <c>tests/browser/*.mjs</c>) against a
/// real host process, signed in through the sign-in form: start with the button, Running within 3 s without a
/// reload, pause, positions appear, stop; and markup in every field it shows is displayed as text and never runs.
/// Screenshots are kept in <c>TestResults/</c>.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class LivePageBrowserTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task An_operator_signs_in_starts_pauses_and_stops_an_engine_from_the_live_page_and_sees_it_live()
    {
        await using var host = await StartHostAsync();
        // An eager engine, enabled but not started: the page starts it.
        await host.Client.CreateEagerEnginesAsync(start: false, "page-1");
        var screenshot = Screenshot("live-page.png");

        var run = await BrowserScript.RunAsync("live-page.mjs", ScriptTimeout, host.BaseAddress.ToString(), TestKeys.Operator, "page-1", screenshot);

        Assert.True(run.ExitCode == 0, $"browser run failed:\n{run.Log}\n{host.OutputTail()}");
        Assert.Contains("step: signed in through the form", run.Log, StringComparison.Ordinal);
        Assert.Contains("step: badge turned Running within 3 s", run.Log, StringComparison.Ordinal);
        Assert.Contains("step: positions table populated", run.Log, StringComparison.Ordinal);
        Assert.Contains("step: only Start is enabled when Stopped", run.Log, StringComparison.Ordinal);
        Assert.Contains("step: no CSP violations", run.Log, StringComparison.Ordinal);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot was saved");
        Assert.Equal("Stopped", (await host.Client.StatusAsync("page-1")).State());
        // The page's actions reached the audit trail under the session's key name.
        var audit = await (await host.Client.GetAsync("/api/audit?connectionId=page-1")).JsonAsync();
        Assert.Contains(audit!["entries"]!.AsArray(), e => e!["actor"]!.GetValue<string>() == "test-operator" && e["action"]!.GetValue<string>() == "start");
    }

    [Fact]
    public async Task Markup_in_every_field_of_the_live_page_is_shown_as_text_and_never_runs()
    {
        await using var host = await StartHostAsync();
        // Free-text fields carry markup for real; tests/browser/live-page-markup.mjs adds it to the rest on the wire.
        (await host.Client.PostAsJsonAsync("/api/presets", new
        {
            id = "markup", name = Payload("preset"), strategy = "ema-crossover", positionSizeQuote = 100m, maxOpenPositions = 3,
            stopLossPct = 2m, takeProfitPct = 4m,
        })).EnsureSuccessStatusCode();
        (await host.Client.PostAsJsonAsync("/api/connections", new
        {
            id = "xss-1", name = Payload("name"), exchange = "paper", symbols = new[] { "BTCUSDT" }, presetId = "markup",
        })).EnsureSuccessStatusCode();
        var screenshot = Screenshot("live-page-markup.png");

        var run = await BrowserScript.RunAsync("live-page-markup.mjs", ScriptTimeout, host.BaseAddress.ToString(), TestKeys.Admin, "xss-1", screenshot);

        Assert.True(run.ExitCode == 0, $"browser run failed:\n{run.Log}\n{host.OutputTail()}");
        Assert.Contains("step: with CSP: every field shown as text, no script ran, no violation", run.Log, StringComparison.Ordinal);
        Assert.Contains("step: with CSP bypassed: every field shown as text, no script ran", run.Log, StringComparison.Ordinal);
        Assert.Contains("step: api-docs lists the operations on the session, no violation", run.Log, StringComparison.Ordinal);
        Assert.Contains("step: dashboard shows the cluster on the session, no violation", run.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("pageerror", run.Log, StringComparison.Ordinal);
    }

    /// <summary>The payload of tests/browser/live-page-markup.mjs for a field (an img with onerror and a script).</summary>
    private static string Payload(string field) => $"<img src=/xss-{field} onerror=__xss.push('{field}')><script>__xss.push('{field}!')</script>";

    private async Task<HostProcess> StartHostAsync()
    {
        var root = AzuriteFixture.FindRepositoryRoot();
        var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix(),
            settings: new Dictionary<string, string?> { ["ASPNETCORE_WEBROOT"] = Path.Combine(root, "src", "Cts.Functions", "wwwroot") });
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static string Screenshot(string name)
    {
        var path = Path.Combine(AzuriteFixture.FindRepositoryRoot(), "TestResults", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
