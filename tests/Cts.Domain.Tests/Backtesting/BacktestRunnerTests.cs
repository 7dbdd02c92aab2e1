using System.Text.Json;
using Cts.Domain.Backtesting;
using Cts.Domain.Config;
using Cts.Domain.Market;
using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Backtesting;

public sealed class BacktestRunnerTests
{
    private static readonly DateTimeOffset From = new(2025, 3, 14, 0, 0, 0, TimeSpan.Zero);

    public static BacktestSetup Setup(TimeSpan window, Preset? preset = null, string[]? symbols = null)
    {
        preset ??= Preset.Default;
        return new BacktestSetup("bt-test", symbols ?? ["BTCUSDT", "ETHUSDT"], From, From + window,
            preset.ToStrategyParameters(), preset.ToRiskParameters(),
            CycleCadence.For("bt-test", TimeSpan.FromMilliseconds(preset.IndicationsMs ?? 5000),
                TimeSpan.FromMilliseconds(preset.StrategiesMs ?? 5000), TimeSpan.FromMilliseconds(preset.RealtimeMs ?? 1000)),
            new PaperFillModel(), 10_000m);
    }

    private static async Task<(List<PositionRecord> Trades, BacktestRunner Runner)> RunAsync(BacktestSetup setup, IMarketData market, bool skip)
    {
        var runner = await BacktestRunner.StartAsync(setup, market, skipIdleTicks: skip);
        await runner.RunToEndAsync();
        return (runner.TakeClosedTrades().Select(PositionRecord.From).ToList(), runner);
    }

    [Fact]
    public async Task Skipping_idle_ticks_changes_no_trade_and_no_equity_point()
    {
        // Trailing stop on, so the quiet-minute rule is exercised with all three exit rules.
        var preset = Preset.Default with { TrailingStopPct = 0.5m };
        var setup = Setup(TimeSpan.FromHours(8), preset);
        var (every, all) = await RunAsync(setup, new PaperHistory(new PaperMarket(42)), skip: false);
        var (skipped, fast) = await RunAsync(setup, new PaperHistory(new PaperMarket(42)), skip: true);

        Assert.True(every.Count >= 10, $"{every.Count} trades");
        Assert.Contains(every, t => t.ExitReason == ExitReason.TrailingStop || t.ExitReason == ExitReason.StopLoss);
        Assert.Contains(every, t => t.ExitReason == ExitReason.Signal);
        Assert.Equal(every, skipped);
        Assert.Equal(all.Equity, fast.Equity);
        Assert.Equal(0, all.TicksSkipped);
        Assert.True(fast.TicksSkipped > fast.TicksRun * 3, $"ran {fast.TicksRun}, skipped {fast.TicksSkipped}");
    }

    [Fact]
    public async Task A_run_resumed_from_a_serialized_checkpoint_ends_exactly_as_one_run_through()
    {
        var setup = Setup(TimeSpan.FromHours(6));
        var (through, whole) = await RunAsync(setup, new PaperHistory(new PaperMarket(42)), skip: true);

        var first = await BacktestRunner.StartAsync(setup, new PaperHistory(new PaperMarket(42)));
        while (first.Progress < 0.45)
        {
            await first.StepAsync(997);
        }
        var before = first.TakeClosedTrades().Select(PositionRecord.From).ToList();
        var json = JsonSerializer.Serialize(first.Checkpoint());
        var checkpoint = JsonSerializer.Deserialize<BacktestCheckpoint>(json)!;
        Assert.NotEmpty(checkpoint.OpenPositions.Concat<object>(before)); // something to carry over

        var resumed = await BacktestRunner.StartAsync(setup, new PaperHistory(new PaperMarket(42)), checkpoint);
        await resumed.RunToEndAsync();
        var after = resumed.TakeClosedTrades().Select(PositionRecord.From).ToList();

        Assert.Equal(through, before.Concat(after).ToList());
        Assert.Equal(whole.Equity, resumed.Equity);
        Assert.Equal(through.Count, resumed.ClosedTradeCount);
    }

    [Fact]
    public async Task The_equity_curve_has_at_most_the_configured_points_and_ends_at_the_window_end()
    {
        var setup = Setup(TimeSpan.FromDays(3)) with { MaxEquityPoints = 100 };
        var (trades, runner) = await RunAsync(setup, new PaperHistory(new PaperMarket(42)), skip: true);
        Assert.InRange(runner.Equity.Count, 90, 100);
        Assert.Equal(setup.From, runner.Equity[0].At);
        Assert.Equal(setup.To, runner.Equity[^1].At);
        Assert.Equal(setup.StartingBalance, runner.Equity[0].Equity);
        // Every position is closed at the end, so the last point is cash: the balance plus the realized profit.
        Assert.Equal(setup.StartingBalance + trades.Sum(t => t.ToPosition().RealizedPnl!.Value), runner.Equity[^1].Equity);
        Assert.Empty(runner.Book.OpenPositions);
    }

    [Fact]
    public async Task Imported_candles_are_traded_like_the_paper_market_and_quoted_monotonically_within_a_minute()
    {
        var paper = new PaperMarket(7);
        var setup = Setup(TimeSpan.FromHours(6), symbols: ["SOLUSDT"]);
        var candles = Enumerable.Range(-200, 200 + 6 * 60)
            .Select(m => paper.CandleAt("SOLUSDT", setup.From.AddMinutes(m))).ToList();
        var market = new CandleMarket(new Dictionary<string, IReadOnlyList<Candle>> { ["SOLUSDT"] = candles });

        var c = candles[250];
        Assert.Equal(c.Open, market.QuoteAt("SOLUSDT", c.OpenTime).Mid);
        var mids = Enumerable.Range(0, 60).Select(s => market.QuoteAt("SOLUSDT", c.OpenTime.AddSeconds(s)).Mid).ToList();
        Assert.True(mids.SequenceEqual(mids.Order()) || mids.SequenceEqual(mids.OrderDescending()));
        Assert.Equal(candles[^1].Close, market.QuoteAt("SOLUSDT", candles[^1].OpenTime.AddMinutes(1)).Mid);

        var (trades, _) = await RunAsync(setup, market, skip: true);
        var (every, _) = await RunAsync(setup, market, skip: false);
        Assert.NotEmpty(trades);
        Assert.Equal(every, trades);
    }

    [Fact]
    public void Paper_history_hands_out_the_candles_the_paper_market_does()
    {
        var market = new PaperMarket(42);
        var history = new PaperHistory(market);
        for (var minute = 0; minute < 6000; minute += 37)
        {
            var now = From.AddMinutes(minute).AddSeconds(13);
            Assert.Equal(market.RecentCandles("BTCUSDT", now, 60), history.RecentCandles("BTCUSDT", now, 60));
        }
    }
}
