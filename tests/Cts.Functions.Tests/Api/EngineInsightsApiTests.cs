using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Domain.Indicators;
using Cts.Domain.Market;
using Cts.Functions.Exchanges;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cts.Functions.Tests.Api;

/// <summary>
/// The console's read endpoints over HTTP: an engine's candles with the preset's indicator lines and its entries and
/// exits, the engine inspector, and the cluster overview.
/// </summary>
public sealed class EngineInsightsApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task Candles_are_the_paper_markets_minutes_with_the_default_presets_EMAs_computed_over_the_same_history()
    {
        await Client.CreatePaperConnectionAsync("chart", "BTCUSDT");
        using var viewer = Host.CreateClient(Roles.Viewer);

        var response = await viewer.GetAsync("/api/engines/chart/candles?symbol=BTCUSDT&limit=60");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chart = (await response.JsonAsync())!;
        var all = chart["candles"]!.AsArray();
        Assert.Equal(61, all.Count);
        Assert.True(all[^1]!["forming"]!.GetValue<bool>(), "the last candle is the minute in progress");
        var candles = all.Take(60).ToList();
        Assert.All(candles, c => Assert.False(c!["forming"]!.GetValue<bool>()));
        var times = all.Select(c => c!["time"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(1), pair.Second - pair.First));
        // The paper market is a pure function of time (seed 42): the venue's candles are its candles.
        var market = new PaperMarket(42);
        Assert.Equal(market.CandleAt("BTCUSDT", times[59]).Close, candles[^1]!["close"]!.GetValue<decimal>());

        // The default preset: EMA 3/8; its lines were warmed up on 3 × max(8, 15) earlier candles, as the endpoint says.
        var indicators = chart["indicators"]!.AsArray();
        Assert.Equal(["EMA 3", "EMA 8"], indicators.Select(i => i!["name"]!.GetValue<string>()).ToArray());
        Assert.All(indicators, i => Assert.Equal("overlay", i!["pane"]!.GetValue<string>()));
        var history = Enumerable.Range(-45, 105).Select(i => (double)market.CandleAt("BTCUSDT", times[0].AddMinutes(i)).Close).ToArray();
        var slow = indicators[1]!["points"]!.AsArray();
        Assert.Equal(60, slow.Count);
        Assert.Equal(times[0], slow[0]!["time"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Ema.Compute(history, 8)[^1]!.Value, slow[^1]!["value"]!.GetValue<double>(), 1e-9);
        Assert.Equal(Ema.Compute(history, 8)[45]!.Value, slow[0]!["value"]!.GetValue<double>(), 1e-9);
        Assert.Empty(chart["markers"]!.AsArray());
    }

    [Fact]
    public async Task Candles_mark_the_engines_entries_and_exits_and_draw_the_RSI_of_an_rsi_reversion_preset()
    {
        await Client.StartEagerEnginesAsync("marks");
        await Eventually.UntilAsync(() => Client.StatusAsync("marks"), s => s["openPositions"]!.GetValue<int>() >= 1,
            TimeSpan.FromSeconds(15), "the eager engine opens a position");
        var stop = await Client.PostJsonAsync("/api/engines/marks/stop", """{"closePositions":true}""");
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        var positions = (await (await Client.GetAsync("/api/positions?connectionId=marks&status=closed")).JsonAsync())!["positions"]!.AsArray();
        var position = positions.First(p => p!["symbol"]!.GetValue<string>() == "BTCUSDT")!;

        var chart = (await (await Client.GetAsync("/api/engines/marks/candles?symbol=BTCUSDT&limit=30")).JsonAsync())!;

        var rsi = Assert.Single(chart["indicators"]!.AsArray())!;
        Assert.Equal("RSI 14", rsi["name"]!.GetValue<string>());
        Assert.Equal("oscillator", rsi["pane"]!.GetValue<string>());
        Assert.Equal([99.0, 99.9], rsi["levels"]!.AsArray().Select(l => l!.GetValue<double>()).ToArray());
        Assert.All(rsi["points"]!.AsArray(), p => Assert.InRange(p!["value"]!.GetValue<double>(), 0, 100));
        var markers = chart["markers"]!.AsArray().Where(m => m!["positionId"]!.GetValue<string>() == position["id"]!.GetValue<string>()).ToList();
        var entry = Assert.Single(markers, m => m!["kind"]!.GetValue<string>() == "entry")!;
        var exit = Assert.Single(markers, m => m!["kind"]!.GetValue<string>() == "exit")!;
        Assert.Equal(position["entryPrice"]!.GetValue<decimal>(), entry["price"]!.GetValue<decimal>());
        Assert.Equal(position["exitPrice"]!.GetValue<decimal>(), exit["price"]!.GetValue<decimal>());
        Assert.Equal("shutdown", exit["exitReason"]!.GetValue<string>());
        var openedAt = position["openedAt"]!.GetValue<DateTimeOffset>();
        var candleOfEntry = entry["time"]!.GetValue<DateTimeOffset>();
        Assert.InRange(openedAt - candleOfEntry, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.Contains(chart["candles"]!.AsArray(), c => c!["time"]!.GetValue<DateTimeOffset>() == candleOfEntry);
    }

    [Theory]
    [InlineData("/api/engines/chart2/candles", "symbol")]
    [InlineData("/api/engines/chart2/candles?symbol=DOGEUSDT", "symbol")]
    [InlineData("/api/engines/chart2/candles?symbol=BTCUSDT&limit=0", "limit")]
    [InlineData("/api/engines/chart2/candles?symbol=BTCUSDT&limit=501", "limit")]
    public async Task Bad_candle_queries_are_400_naming_the_field(string url, string field)
    {
        await Client.CreatePaperConnectionAsync("chart2", "BTCUSDT");
        var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())!["errors"]![field]);
    }

    [Fact]
    public async Task Candles_and_inspect_of_an_unknown_connection_are_404_and_need_a_key()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/engines/ghost/candles?symbol=BTCUSDT")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/engines/ghost/inspect")).StatusCode);
        using var anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/engines/ghost/inspect")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/cluster")).StatusCode);
    }

    [Fact]
    public async Task The_inspector_of_a_running_engine_shows_its_node_next_ticks_watchdog_history_and_versions_and_after_stop_none()
    {
        await Client.StartPaperEngineAsync("insp");
        using var viewer = Host.CreateClient(Roles.Viewer);

        var view = (await (await viewer.GetAsync("/api/engines/insp/inspect")).JsonAsync())!;

        Assert.Equal("Running", view["state"]!.GetValue<string>());
        var at = view["at"]!.GetValue<DateTimeOffset>();
        Assert.True(view["since"]!.GetValue<DateTimeOffset>() <= at);
        var cluster = (await (await viewer.GetAsync("/api/cluster")).JsonAsync())!;
        Assert.Equal(cluster["answeredBy"]!.GetValue<string>(), view["node"]!.GetValue<string>());
        var processors = view["processors"]!.AsArray();
        Assert.Equal(["indications", "strategies", "realtime"], processors.Select(p => p!["name"]!.GetValue<string>()).ToArray());
        Assert.All(processors, p => Assert.InRange(p!["nextDueAt"]!.GetValue<DateTimeOffset>(), at.AddSeconds(-5), at.AddSeconds(5)));
        Assert.True(view["watchdog"]!["exists"]!.GetValue<bool>());
        Assert.Equal(60, view["watchdog"]!["periodSeconds"]!.GetValue<double>());
        Assert.InRange(view["watchdog"]!["nextAt"]!.GetValue<DateTimeOffset>(), at, at.AddMinutes(1.1));
        var history = view["transitions"]!.AsArray();
        Assert.Contains(history, e => e!["action"]!.GetValue<string>() == "start" && e["actor"]!.GetValue<string>() == "test-admin"
            && e["toState"]!.GetValue<string>() == "Running" && e["outcome"]!.GetValue<string>() == "changed");
        Assert.Equal(1, view["versions"]!["connection"]!["running"]!.GetValue<long>());
        Assert.Equal(1, view["versions"]!["connection"]!["current"]!.GetValue<long>());
        Assert.Equal("default", view["versions"]!["preset"]!["id"]!.GetValue<string>());

        (await Client.PostAsync("/api/engines/insp/stop", null)).EnsureSuccessStatusCode();
        var stopped = (await (await viewer.GetAsync("/api/engines/insp/inspect")).JsonAsync())!;
        Assert.Equal("Stopped", stopped["state"]!.GetValue<string>());
        Assert.False(stopped["watchdog"]!["exists"]!.GetValue<bool>());
        Assert.All(stopped["processors"]!.AsArray(), p => Assert.Null(p!["nextDueAt"]));
    }

    [Fact]
    public async Task The_cluster_overview_of_one_node_counts_its_engines_by_state_and_links_the_dashboard()
    {
        await Client.StartPaperEngineAsync("node-a");
        await Client.CreatePaperConnectionAsync("node-b");

        using var viewer = Host.CreateClient(Roles.Viewer);
        var cluster = (await (await viewer.GetAsync("/api/cluster")).JsonAsync())!;

        var node = Assert.Single(cluster["nodes"]!.AsArray())!;
        Assert.Equal("Active", node["status"]!.GetValue<string>());
        Assert.True(node["self"]!.GetValue<bool>());
        Assert.Equal(1, node["enginesByState"]!["Running"]!.GetValue<int>());
        Assert.Equal(2, cluster["engines"]!.GetValue<int>());
        Assert.Equal(2, node["engines"]!.GetValue<int>() + cluster["notActivated"]!["count"]!.GetValue<int>());
        Assert.Equal(0, cluster["relayLag"]!["eventsReceived"]!.GetValue<long>());
        Assert.Equal("/dashboard", cluster["dashboard"]!.GetValue<string>());
    }
}

/// <summary>The inspector of an engine whose start fails: its retry schedule and plan, then its escalation.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EngineInspectorRetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_inspector_shows_the_scheduled_retry_in_its_plan_and_then_the_escalation_with_its_audit_entry()
    {
        var exchange = new FaultyExchange(FaultyExchange.Paper()) { FailChecks = 100 };
        await using var host = new CtsAppFactory(azurite, null, services =>
        {
            services.RemoveAll<IExchangeFactory>();
            services.AddSingleton(FaultyExchange.Factory(exchange));
        });
        using var client = host.CreateClient(Roles.Admin);
        await client.PatchSettingsAsync(new { startRetry = new { maxAttempts = 2, baseDelaySeconds = 1, maxDelaySeconds = 60 } });
        await client.CreatePaperConnectionAsync("retry");
        (await client.PostAsync("/api/connections/retry/enable", null)).EnsureSuccessStatusCode();
        var status = (await (await client.PostAsync("/api/engines/retry/start", null)).JsonAsync())!["status"]!;
        Assert.Equal("Error", status.State());

        var view = (await (await client.GetAsync("/api/engines/retry/inspect")).JsonAsync())!;

        Assert.Equal("Error", view["state"]!.GetValue<string>());
        Assert.Equal("initialization-failed", view["status"]!["lastError"]!["kind"]!.GetValue<string>());
        var plan = view["retry"]!["plan"]!.AsArray();
        Assert.Equal(2, plan.Count);
        Assert.InRange(plan[0]!["delaySeconds"]!.GetValue<double>(), 0.8, 1.2);
        Assert.InRange(plan[1]!["delaySeconds"]!.GetValue<double>(), 1.6, 2.4);
        Assert.Equal(view["retry"]!["current"]!["nextAttemptAt"]!.GetValue<DateTimeOffset>(), plan[0]!["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Null(plan[1]!["dueAt"]);

        var escalated = await Eventually.UntilAsync(async () => (await (await client.GetAsync("/api/engines/retry/inspect")).JsonAsync())!,
            v => v["retry"]!["escalated"]!.GetValue<bool>(), TimeSpan.FromSeconds(20), "the engine escalates after two retries");
        var escalation = Assert.Single(escalated["escalations"]!.AsArray())!;
        Assert.Equal("system", escalation["actor"]!.GetValue<string>());
        Assert.Contains("after 2 automatic retries", escalation["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        // The watchdog is unregistered as the engine escalates; the reminder table may answer a moment after the state.
        await Eventually.UntilAsync(async () => (await (await client.GetAsync("/api/engines/retry/inspect")).JsonAsync())!,
            v => !v["watchdog"]!["exists"]!.GetValue<bool>(), TimeSpan.FromSeconds(10), "the escalated engine's watchdog is gone");
    }
}
