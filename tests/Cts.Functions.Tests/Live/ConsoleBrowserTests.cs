using System.Net.Http.Json;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Live;

/// <summary>
/// The operator console (<c>/</c>) in a real browser (Debian's Chromium driven by playwright-core,
/// <c>tests/browser/console.mjs</c>) against a real host process, under the sign-in contract's strict CSP: every flow
/// of the engines view, engine detail, inspector, cluster and config views, a viewer's read-only view, and markup in
/// every shown field proving no script runs. Screenshots at 1400 and 390 px are kept in <c>TestResults/console/</c>.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class ConsoleBrowserTests(AzuriteFixture azurite)
{
    private static readonly string[] Steps =
    [
        "operator signed in, the engines view lists the engines",
        "an Idle engine offers Enable and says to enable the connection first",
        "filters by state and text, and the URL says so",
        "pages of 25, sorted by open positions descending puts the trading engine first",
        "started from the keyboard; Running within 3 s without a reload",
        "paused",
        "a failed stop is shown inline with the retry schedule, no alert",
        "Retry stopped it, closing its positions, after the confirmation dialog",
        "offline: says reconnecting and flags the data as not live; back live after",
        "the chart draws candles with entry markers and the strategy's RSI",
        "the chart switches symbol",
        "an open trade closes with its Close button; it shows as closed with reason manual",
        "force entry opens a position on the paused engine: the notice names it, it is in the open trades and the API's list",
        "performance shows total and daily PnL, win rate, profit factor, max drawdown and an equity curve, as the API serves them",
        "the inspector shows the node, the history with actor, reason and outcome, filterable",
        "the inspector of a running engine shows next ticks and its watchdog",
        "the cluster view lists the node with its engines by state and links the dashboard",
        "a viewer sees no action buttons and is told why",
        "the server's validation errors show next to their fields",
        "a connection is created; its credentials are write-only (masked, never filled in)",
        "edits carry the ETag: saved as version 2, a stale save is 412 with a reload",
        "Test on a paper connection answers ok inline; a refused key shows its reason inline",
        "enable and disable from the connections view",
        "delete without closing positions: the 409 is inline, naming the open positions; nothing is deleted",
        "delete with the dialog's close-positions choice removes a running engine's connection in one go; no position left open",
        "a preset is edited with its errors next to the fields; the markup in its name shows as text",
        "settings are edited with the nested field's error next to it",
        "export downloads; import previews with a dry run, then applies; restore previews",
        "the audit trail is searchable by connection and text",
        "markup in every shown field is text: no script ran, no element was made from it",
        "at 390 px the actions stay on screen and nothing scrolls sideways",
        "no page error and no CSP violation",
    ];

    [Fact]
    public async Task An_operator_and_an_admin_run_the_desk_from_the_console_and_a_viewer_only_reads()
    {
        var root = AzuriteFixture.FindRepositoryRoot();
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix(),
            settings: new Dictionary<string, string?> { ["ASPNETCORE_WEBROOT"] = Path.Combine(root, "src", "Cts.Functions", "wwwroot") });
        await host.StartAsync();
        // A trading engine with open positions, one enabled for the console to start, one idle, and enough idle
        // ones for two pages of 25.
        await host.Client.StartEagerEnginesAsync("desk-run");
        await host.Client.CreateEagerEnginesAsync(start: false, "desk-enabled");
        await host.Client.CreatePaperConnectionAsync("desk-idle");
        for (var i = 0; i < 28; i++)
        {
            await host.Client.CreatePaperConnectionAsync($"bulk-{i:D2}");
        }
        await Eventually.UntilAsync(() => host.Client.StatusAsync("desk-run"), s => s["openPositions"]!.GetValue<int>() >= 1,
            TimeSpan.FromSeconds(20), "the trading engine opens a position", () => host.OutputTail());

        var screenshots = Path.Combine(root, "TestResults", "console");
        if (Directory.Exists(screenshots))
        {
            Directory.Delete(screenshots, recursive: true);
        }
        var run = await BrowserScript.RunAsync("console.mjs", TimeSpan.FromMinutes(6),
            host.Client.BaseAddress!.ToString(), screenshots, TestKeys.Viewer, TestKeys.Operator, TestKeys.Admin);

        var log = run.Log;
        Assert.True(run.ExitCode == 0, $"browser run failed:\n{log}\n{host.OutputTail()}");
        foreach (var step in Steps)
        {
            Assert.Contains($"step: {step}", log, StringComparison.Ordinal);
        }
        foreach (var name in new[] { "engines", "engine", "inspector", "connections" })
        {
            Assert.True(new FileInfo(Path.Combine(screenshots, $"{name}-1400.png")).Length > 10_000, $"{name} at 1400 px was saved");
            Assert.True(new FileInfo(Path.Combine(screenshots, $"{name}-390.png")).Length > 5_000, $"{name} at 390 px was saved");
        }
        // What the console did is what the API now says.
        Assert.Equal("Stopped", (await host.Client.StatusAsync("desk-enabled")).State());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/connections/desk-run")).StatusCode);
        var left = await host.Client.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>("/api/positions?connectionId=desk-run&status=open");
        Assert.Empty(left!["positions"]!.AsArray());
        var settings = await host.Client.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>("/api/settings");
        Assert.Equal(4, settings!["startRetry"]!["maxAttempts"]!.GetValue<int>());
    }
}
