using System.Text.Json.Nodes;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Live;

/// <summary>
/// The console's Backtests view (<c>#/backtests</c>) in a real browser (Debian's Chromium driven by playwright-core,
/// <c>tests/browser/backtests.mjs</c>) against a real host process, signed in through the form, under the host's own
/// strict CSP: two backtests of two presets started from the form over a short paper window, a progress bar reaching
/// done, the report's figures against the API's, the equity and candle charts with markers, two compared side by side,
/// a long one canceled, validation errors next to their fields, a viewer's read-only view, and markup in a preset's
/// name shown as text. Screenshots at 1400 and 390 px are kept in <c>TestResults/backtests/</c>.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class BacktestsBrowserTests(AzuriteFixture azurite)
{
    private static readonly string[] Steps =
    [
        "operator signed in; the backtests view is empty and offers New backtest",
        "the server's validation errors show next to their fields and nothing starts",
        "a backtest started from the form opens its page, whose progress bar reaches done",
        "the report's figures equal the API's",
        "the equity chart and the candle chart with entry and exit markers are drawn, per symbol",
        "a second preset's backtest completes; the markup in its name is shown as text",
        "the list shows both done; two are compared side by side, figures in one table and equity curves overlaid, at a URL that reloads",
        "a long backtest's progress bar moves live in the list; Cancel asks in the dialog and removes it",
        "a viewer sees no start and no cancel, and is told why",
        "at 390 px nothing scrolls sideways",
        "markup is text everywhere: no script ran, no element was made from it",
        "no page error and no CSP violation",
    ];

    [Fact]
    public async Task An_operator_starts_watches_reads_compares_and_cancels_backtests_from_the_console_and_a_viewer_only_reads()
    {
        var root = AzuriteFixture.FindRepositoryRoot();
        // The production cadence (the presets run at the host's intervals), so backtests take the time they take in use.
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix(), settings: new Dictionary<string, string?>
        {
            ["ASPNETCORE_WEBROOT"] = Path.Combine(root, "src", "Cts.Functions", "wwwroot"),
            ["cts__engine__realtimeMs"] = "1000",
            ["cts__engine__indicationsMs"] = "5000",
            ["cts__engine__strategiesMs"] = "5000",
        });
        await host.StartAsync();
        var screenshots = Path.Combine(root, "TestResults", "backtests");
        if (Directory.Exists(screenshots))
        {
            Directory.Delete(screenshots, recursive: true);
        }

        var run = await BrowserScript.RunAsync("backtests.mjs", TimeSpan.FromMinutes(9),
            host.BaseAddress.ToString(), screenshots, TestKeys.Viewer, TestKeys.Operator, TestKeys.Admin);

        Assert.True(run.ExitCode == 0, $"browser run failed:\n{run.Log}\n{host.OutputTail()}");
        foreach (var step in Steps)
        {
            Assert.Contains($"step: {step}", run.Log, StringComparison.Ordinal);
        }
        foreach (var name in new[] { "backtests", "backtest", "compare", "backtest-new" })
        {
            Assert.True(new FileInfo(Path.Combine(screenshots, $"{name}-1400.png")).Length > 10_000, $"{name} at 1400 px was saved");
            Assert.True(new FileInfo(Path.Combine(screenshots, $"{name}-390.png")).Length > 5_000, $"{name} at 390 px was saved");
        }
        // What the console did is what the API now says: two completed backtests (of two presets), the long one gone.
        var all = JsonNode.Parse(await host.Client.GetStringAsync("/api/backtests"))!["backtests"]!.AsArray();
        Assert.Equal(2, all.Count);
        Assert.All(all, b => Assert.Equal("completed", b!["status"]!.GetValue<string>()));
        Assert.Equal(["bt-markup", "default"], all.Select(b => b!["request"]!["presetId"]!.GetValue<string>()).Order());
        Assert.All(all, b => Assert.Equal("test-operator", b!["createdBy"]!.GetValue<string>()));
    }
}
