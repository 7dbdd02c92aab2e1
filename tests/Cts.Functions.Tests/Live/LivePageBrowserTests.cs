using System.Diagnostics;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Live;

/// <summary>
/// The old live page (<c>/live.html</c>, kept until it is removed; the console is at <c>/</c>) in a real browser (Debian's Chromium driven by playwright-core, <c>tests/browser/live-page.mjs</c>)
/// against a real host process: start with the button, Running within 3 s without a reload, pause, positions appear,
/// stop. The screenshot is kept in <c>TestResults/live-page.png</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LivePageBrowserTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_operator_starts_pauses_and_stops_an_engine_from_the_live_page_and_sees_it_live()
    {
        var root = AzuriteFixture.FindRepositoryRoot();
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix(),
            settings: new Dictionary<string, string?> { ["ASPNETCORE_WEBROOT"] = Path.Combine(root, "src", "Cts.Functions", "wwwroot") });
        await host.StartAsync();
        // An eager engine, enabled but not started: the page starts it.
        await host.Client.CreateEagerEnginesAsync(start: false, "page-1");

        var screenshot = Path.Combine(root, "TestResults", "live-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var run = new ProcessStartInfo("node", [Path.Combine(root, "tests", "browser", "live-page.mjs"),
            host.Client.BaseAddress!.ToString(), TestKeys.Operator, "page-1", screenshot])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var browser = Process.Start(run)!;
        var output = browser.StandardOutput.ReadToEndAsync();
        var errors = browser.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await browser.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Never leave node and Chromium running: the whole tree goes, by this process's id.
            browser.Kill(entireProcessTree: true);
            throw;
        }

        var log = await output + await errors;
        Assert.True(browser.ExitCode == 0, $"browser run failed:\n{log}\n{host.OutputTail()}");
        Assert.Contains("step: badge turned Running within 3 s", log, StringComparison.Ordinal);
        Assert.Contains("step: positions table populated", log, StringComparison.Ordinal);
        Assert.Contains("step: only Start is enabled when Stopped", log, StringComparison.Ordinal);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot was saved");
        Assert.Equal("Stopped", (await host.Client.StatusAsync("page-1")).State());
    }
}
