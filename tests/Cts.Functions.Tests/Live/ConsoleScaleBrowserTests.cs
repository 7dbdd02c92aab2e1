using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Cts.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cts.Functions.Tests.Live;

/// <summary>
/// The console's engines view at 10,000 engines, in a real browser (<c>tests/browser/console-scale.mjs</c>) against a
/// real host process holding 10,000 connections: the summary counts them all (status-all read 1,000 a page), paging
/// reaches the last page, a text filter finds one engine, sorting by state brings the one Enabled engine first, and
/// starting it from the console turns its row Running through the event stream, without a reload, the connections view
/// pages and searches them too, and no page error. How long the setup, the first render and each redraw took is printed, never asserted. The screenshot at
/// 1400 px is kept in <c>TestResults/console-scale/</c>.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class ConsoleScaleBrowserTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Engines = 10_000;
    private const int ConcurrentCreates = 8;
    private const string Startable = "scale-07777";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    private static readonly string[] Steps =
    [
        "signed in; the summary counts 10,000 engines once status-all is read",
        "paged through to the last page",
        "a text filter finds the one engine",
        "sorted by id descending and by state",
        "started from the console: Running through the event stream, without a reload",
        "the connections view pages 10,000 connections and finds one by text",
        "no page error and no CSP violation",
    ];

    [Fact]
    public async Task The_engines_view_pages_filters_sorts_and_starts_an_engine_among_ten_thousand()
    {
        var root = AzuriteFixture.FindRepositoryRoot();
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix(),
            settings: new Dictionary<string, string?> { ["ASPNETCORE_WEBROOT"] = Path.Combine(root, "src", "Cts.Functions", "wwwroot") });
        await host.StartAsync();

        var setup = Stopwatch.StartNew();
        await CreateConnectionsAsync(host.Client);
        (await host.Client.PostAsync($"/api/connections/{Startable}/enable", null)).EnsureSuccessStatusCode();
        var created = setup.Elapsed;
        output.WriteLine($"setup: {Engines} connections created in {created.TotalSeconds:0.0} s ({ConcurrentCreates} at a time)");

        var screenshots = Path.Combine(root, "TestResults", "console-scale");
        if (Directory.Exists(screenshots))
        {
            Directory.Delete(screenshots, recursive: true);
        }
        var run = await BrowserScript.RunAsync("console-scale.mjs", ScriptTimeout, host.BaseAddress.ToString(), screenshots, TestKeys.Operator,
            Engines.ToString(CultureInfo.InvariantCulture), Startable);

        output.WriteLine(run.Log);
        Assert.True(run.ExitCode == 0, $"browser run failed:\n{run.Log}\n{host.OutputTail()}");
        foreach (var step in Steps)
        {
            Assert.Contains($"step: {step}", run.Log, StringComparison.Ordinal);
        }
        Assert.True(new FileInfo(Path.Combine(screenshots, "engines-10000-1400.png")).Length > 10_000, "the screenshot at 1400 px was saved");
        // What the console did is what the API says.
        Assert.Equal("Running", (await host.Client.StatusAsync(Startable)).State());
    }

    /// <summary>10,000 paper connections through the public API, a few requests at a time (the host and Azurite share two cores).</summary>
    private static async Task CreateConnectionsAsync(HttpClient client)
    {
        string[][] markets = [["BTCUSDT"], ["ETHUSDT"], ["BTCUSDT", "ETHUSDT"]];
        await Parallel.ForAsync(0, Engines, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentCreates }, async (i, cancellationToken) =>
        {
            var id = $"scale-{i:D5}";
            using var response = await client.PostAsJsonAsync("/api/connections",
                new { id, name = $"Scale {i:D5}", exchange = "paper", symbols = markets[i % markets.Length] }, cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        });
    }
}
