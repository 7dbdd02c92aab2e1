using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cts.Domain.Market;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Backtesting;

/// <summary>Backtests over HTTP, through the real pipeline, grain and storage.</summary>
public sealed class BacktestsApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private static readonly string[] ReportFields =
    [
        "trades", "totalProfit", "totalProfitPct", "avgProfitPct", "cagr", "wins", "draws", "losses", "winRate", "profitFactor", "expectancy",
        "maxDrawdown", "maxDrawdownPct", "maxDrawdownStart", "maxDrawdownEnd", "sharpe", "sortino", "calmar", "exposure",
        "bestTrade", "worstTrade", "avgDuration", "exitReasons", "buyAndHold", "equityCurve", "tradeList",
    ];

    [Fact]
    public async Task A_backtest_runs_to_a_report_equal_to_the_domain_runs_and_publishes_its_progress()
    {
        using var events = await Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new SseReader(await events.Content.ReadAsStreamAsync());
        using var operatorClient = Host.CreateClient(Roles.Operator);
        var window = TimeSpan.FromHours(12);

        var id = await BacktestRig.StartAsync(operatorClient, BacktestRig.Request(window));
        var done = await BacktestRig.WaitForAsync(Client, id, "completed", TimeSpan.FromSeconds(90));

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(1.0, done["progress"]!.GetValue<double>());
        var results = done["results"]!;
        foreach (var field in ReportFields)
        {
            Assert.True(results.AsObject().ContainsKey(field), $"report has no {field}");
        }
        var (trades, runner) = await BacktestRig.RunInDomainAsync(window, ["BTCUSDT", "ETHUSDT"]);
        Assert.True(trades.Count >= 5);
        Assert.Equal(trades.Count, results["trades"]!.GetValue<int>());
        Assert.Equal(trades.Sum(t => t.ToPosition().RealizedPnl!.Value), results["totalProfit"]!.GetValue<decimal>());
        var list = results["tradeList"]!.AsArray();
        trades = trades.OrderBy(t => t.ClosedAt).ThenBy(t => t.Id, StringComparer.Ordinal).ToList(); // the report's order
        Assert.Equal(trades.Count, list.Count);
        Assert.Equal(trades.Select(t => t.Id), list.Select(t => t!["positionId"]!.GetValue<string>()));
        Assert.Equal(trades.Select(t => t.ExitPrice!.Value), list.Select(t => t!["exitPrice"]!.GetValue<decimal>()));
        var curve = results["equityCurve"]!.AsArray();
        Assert.InRange(curve.Count, 2, 2000);
        Assert.Equal(runner.Equity.Count, curve.Count);
        Assert.Equal(runner.Equity[^1].Equity, curve[^1]!["equity"]!.GetValue<decimal>());
        Assert.Equal(2, results["buyAndHold"]!["symbols"]!.AsArray().Count);

        var progress = await reader.UntilAsync(e => e.Type == "backtest-progress" && e.Data["data"]!["status"]!.GetValue<string>() == "completed",
            TimeSpan.FromSeconds(10));
        Assert.Contains(progress, e => e.Type == "backtest-progress" && e.Data["data"]!["id"]!.GetValue<string>() == id);

        var all = JsonNode.Parse(await Client.GetStringAsync("/api/backtests"))!;
        Assert.Contains(all["backtests"]!.AsArray(), b => b!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task The_chart_of_a_backtest_is_its_paper_markets_candles_as_bars_with_each_trade_entered_and_exited()
    {
        var window = TimeSpan.FromHours(6);
        var id = await BacktestRig.StartAsync(Client, BacktestRig.Request(window));
        var done = await BacktestRig.WaitForAsync(Client, id, "completed", TimeSpan.FromSeconds(90));
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var market = new PaperMarket(42);
        var minutes = Enumerable.Range(0, 360).Select(m => market.CandleAt("BTCUSDT", BacktestRig.From.AddMinutes(m))).ToList();
        var trades = done["results"]!["tradeList"]!.AsArray().Where(t => t!["symbol"]!.GetValue<string>() == "BTCUSDT").ToList();
        Assert.NotEmpty(trades);

        var chart = JsonNode.Parse(await Client.GetStringAsync($"/api/backtests/{id}/candles?symbol=BTCUSDT"))!;

        Assert.Equal("1m", chart["interval"]!.GetValue<string>());
        var candles = chart["candles"]!.AsArray();
        Assert.Equal(360, candles.Count);
        Assert.Equal(minutes.Select(c => (c.OpenTime, c.Open, c.High, c.Low, c.Close)), candles.Select(c =>
            (c!["time"]!.GetValue<DateTimeOffset>(), c["open"]!.GetValue<decimal>(), c["high"]!.GetValue<decimal>(), c["low"]!.GetValue<decimal>(),
                c["close"]!.GetValue<decimal>())));
        var markers = chart["markers"]!.AsArray();
        Assert.Equal(2 * trades.Count, markers.Count);
        foreach (var trade in trades)
        {
            var positionId = trade!["positionId"]!.GetValue<string>();
            var exit = markers.Single(m => m!["positionId"]!.GetValue<string>() == positionId && m["kind"]!.GetValue<string>() == "exit")!;
            Assert.Equal(trade["exitPrice"]!.GetValue<decimal>(), exit["price"]!.GetValue<decimal>());
            Assert.Equal(trade["exitReason"]!.GetValue<string>(), exit["exitReason"]!.GetValue<string>());
            Assert.Contains(candles, c => c!["time"]!.GetValue<DateTimeOffset>() == exit["time"]!.GetValue<DateTimeOffset>());
        }

        // Fewer bars: at most 30, so 15-minute bars (72 of 5 minutes would be too many) folded from the same minutes.
        var coarse = JsonNode.Parse(await Client.GetStringAsync($"/api/backtests/{id}/candles?symbol=BTCUSDT&maxBars=30"))!;
        Assert.Equal(15, coarse["intervalMinutes"]!.GetValue<int>());
        var bars = coarse["candles"]!.AsArray();
        Assert.Equal(24, bars.Count);
        var second = minutes.Skip(15).Take(15).ToList();
        Assert.Equal(second[0].Open, bars[1]!["open"]!.GetValue<decimal>());
        Assert.Equal(second.Max(c => c.High), bars[1]!["high"]!.GetValue<decimal>());
        Assert.Equal(second.Min(c => c.Low), bars[1]!["low"]!.GetValue<decimal>());
        Assert.Equal(second[^1].Close, bars[1]!["close"]!.GetValue<decimal>());
        Assert.All(coarse["markers"]!.AsArray(), m => Assert.Contains(bars, b => b!["time"]!.GetValue<DateTimeOffset>() == m!["time"]!.GetValue<DateTimeOffset>()));

        var missing = await Client.GetAsync($"/api/backtests/{id}/candles");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.JsonAsync())!["errors"]!.AsObject().ContainsKey("symbol"));
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync($"/api/backtests/{id}/candles?symbol=SOLUSDT")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync($"/api/backtests/{id}/candles?symbol=BTCUSDT&maxBars=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync($"/api/backtests/{id}/candles?symbol=BTCUSDT&maxBars=x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/backtests/bt-unknown/candles?symbol=BTCUSDT")).StatusCode);
        using var viewer = Host.CreateClient(Roles.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/backtests/{id}/candles?symbol=ETHUSDT")).StatusCode);
    }

    [Fact]
    public async Task An_invalid_request_is_a_problem_with_every_field_and_creates_nothing()
    {
        var response = await Client.PostAsJsonAsync("/api/backtests", new
        {
            presetId = "default",
            preset = BacktestRig.Preset with { StopLossPct = 0m },
            symbols = new[] { "btc", "ETHUSDT", "ETHUSDT" },
            from = BacktestRig.From.AddSeconds(30),
            to = BacktestRig.From.AddDays(-1),
            feeRate = 0.5m,
            dataSource = "csv",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync())!["errors"]!.AsObject();
        foreach (var field in new[] { "preset", "preset.stopLossPct", "symbols[0]", "symbols", "from", "to", "feeRate", "dataSource" })
        {
            Assert.True(errors.ContainsKey(field), $"no error for {field}: {errors.ToJsonString()}");
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsJsonAsync("/api/backtests", new { presetId = "nope", symbols = new[] { "BTCUSDT" },
            from = BacktestRig.From, to = BacktestRig.From.AddHours(1) })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsJsonAsync("/api/backtests", new { symbols = new[] { "BTCUSDT" },
            from = BacktestRig.From, to = BacktestRig.From.AddHours(1), extra = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await Client.PostAsync("/api/backtests", new StringContent("{}", Encoding.UTF8, "text/plain"))).StatusCode);
        using var viewer = Host.CreateClient(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/backtests", BacktestRig.Request(TimeSpan.FromHours(1)))).StatusCode);
        Assert.Equal(0, JsonNode.Parse(await Client.GetStringAsync("/api/backtests"))!["count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/backtests/bt-unknown")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync("/api/backtests/bt-unknown")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/api/backtests/Not_An_Id")).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_running_backtest_cancels_and_removes_it()
    {
        var id = await BacktestRig.StartAsync(Client, BacktestRig.Request(TimeSpan.FromDays(300)));
        await Eventually.UntilAsync(async () => JsonNode.Parse(await Client.GetStringAsync($"/api/backtests/{id}"))!["progress"]!.GetValue<double>() > 0,
            TimeSpan.FromSeconds(30), "the backtest has made progress");

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/backtests/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/backtests/{id}")).StatusCode);
        Assert.Equal(0, JsonNode.Parse(await Client.GetStringAsync("/api/backtests"))!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Imported_candles_are_validated_stored_and_backtested_and_a_window_they_do_not_cover_fails()
    {
        var paper = new PaperMarket(11);
        var from = BacktestRig.From;
        var candles = Enumerable.Range(-60, 60 + 4 * 60).Select(m => paper.CandleAt("SOLUSDT", from.AddMinutes(m))).ToList();
        // Two uploads under the body limit: CSV with ISO times, then JSON with epoch milliseconds.
        var csv = new StringBuilder("openTime,open,high,low,close,volume\n");
        foreach (var c in candles.Take(150))
        {
            csv.Append(FormattableString.Invariant($"{c.OpenTime:yyyy-MM-ddTHH:mm:ssZ},{c.Open},{c.High},{c.Low},{c.Close},{c.Volume}\n"));
        }
        var first = await Client.PostAsync("/api/candles/SOLUSDT", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(150, (await first.JsonAsync())!["imported"]!.GetValue<int>());
        var json = candles.Skip(150).Select(c => new { openTime = c.OpenTime.ToUnixTimeMilliseconds().ToString(), c.Open, c.High, c.Low, c.Close, c.Volume });
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/api/candles/SOLUSDT", json)).StatusCode);

        var bad = await Client.PostAsync("/api/candles/SOLUSDT", new StringContent(
            "openTime,open,high,low,close,volume\n2025-01-01T00:00:00Z,10,9,8,10,1\n2025-01-01T00:00:00Z,10,11,9,10,1\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.JsonAsync())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("rows[0].high") && errors.ContainsKey("rows[1].openTime"), errors.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsJsonAsync("/api/candles/SOLUSDT",
            new[] { new { openTime = "2025-01-01T00:00:00Z", open = 1, high = 1, low = 1, close = 1, volume = 1, extra = 2 } })).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Client.PostAsync("/api/candles/SOLUSDT", new StringContent("x", Encoding.UTF8, "text/plain"))).StatusCode);
        var notArray = await Client.PostAsync("/api/candles/SOLUSDT", new StringContent("""{"openTime":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notArray.StatusCode);
        Assert.Equal("must be a JSON array of candles", (await notArray.JsonAsync())!["errors"]!["body"]![0]!.GetValue<string>());
        using var operatorClient = Host.CreateClient(Roles.Operator);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsync("/api/candles/SOLUSDT", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))).StatusCode);

        var window = TimeSpan.FromHours(4);
        var id = await BacktestRig.StartAsync(Client, BacktestRig.Request(window, ["SOLUSDT"], "imported"));
        var done = await BacktestRig.WaitForAsync(Client, id, "completed", TimeSpan.FromSeconds(60));
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var market = new CandleMarket(new Dictionary<string, IReadOnlyList<Candle>> { ["SOLUSDT"] = candles });
        var (trades, _) = await BacktestRig.RunInDomainAsync(window, ["SOLUSDT"], market);
        Assert.Equal(trades.Count, done["results"]!["trades"]!.GetValue<int>());
        Assert.Equal(trades.Sum(t => t.ToPosition().RealizedPnl!.Value), done["results"]!["totalProfit"]!.GetValue<decimal>());
        // Its chart is the imported candles over the window.
        var chart = JsonNode.Parse(await Client.GetStringAsync($"/api/backtests/{id}/candles?symbol=SOLUSDT"))!;
        Assert.Equal(candles.Skip(60).Select(c => c.Close), chart["candles"]!.AsArray().Select(c => c!["close"]!.GetValue<decimal>()));
        Assert.Equal(2 * trades.Count, chart["markers"]!.AsArray().Count);

        var uncovered = await BacktestRig.StartAsync(Client, BacktestRig.Request(TimeSpan.FromHours(5), ["SOLUSDT"], "imported"));
        var failed = await BacktestRig.WaitForAsync(Client, uncovered, "failed", TimeSpan.FromSeconds(30));
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Contains("SOLUSDT", failed["error"]!.GetValue<string>());
    }
}
