using Cts.Domain.Backtesting;
using Cts.Domain.Config;
using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Processors;
using Cts.Domain.Strategies;
using Cts.Domain.Trading;
using Cts.Functions.Engines;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Backtesting;

/// <summary>
/// Live parity: a paper engine run live — the host's <see cref="EngineCycles"/> driving the three processors from timers
/// of a <see cref="FakeTimeProvider"/> at the preset's intervals and the engine's own first-tick offsets, with the real
/// book, executor, paper venue and in-memory journal and ledger — and a backtest of the same preset over the same
/// window produce the identical trade list, to the last decimal.
/// </summary>
public sealed class BacktestParityTests
{
    private const string ConnectionId = "paper-parity";
    private static readonly DateTimeOffset From = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("default", 10)]
    [InlineData("trailing", 8)]
    public async Task A_live_paper_engine_and_a_backtest_of_its_preset_trade_identically(string variant, int hours)
    {
        var preset = variant == "trailing"
            ? Preset.Default with { TrailingStopPct = 0.6m, RealtimeMs = 2000, StrategiesMs = 3000 }
            : Preset.Default;
        var window = TimeSpan.FromHours(hours);
        string[] symbols = ["BTCUSDT", "ETHUSDT"];
        var intervals = new ProcessorIntervals(TimeSpan.FromMilliseconds(preset.IndicationsMs ?? 5000),
            TimeSpan.FromMilliseconds(preset.StrategiesMs ?? 5000), TimeSpan.FromMilliseconds(preset.RealtimeMs ?? 1000));

        var live = await RunLiveAsync(preset, symbols, intervals, window);

        var setup = new BacktestSetup(ConnectionId, symbols, From, From + window, preset.ToStrategyParameters(), preset.ToRiskParameters(),
            CycleCadence.For(ConnectionId, intervals.Indications, intervals.Strategies, intervals.Realtime), new PaperFillModel(), 10_000m);
        var runner = await BacktestRunner.StartAsync(setup, new PaperHistory(new PaperMarket(42)));
        await runner.RunToEndAsync();
        var backtest = runner.TakeClosedTrades().Select(PositionRecord.From).ToList();

        Assert.True(live.Count >= 5, $"the window should trade several times; it traded {live.Count}");
        Assert.True(runner.TicksSkipped > 0);
        Assert.Equal(live.Count, backtest.Count);
        for (var i = 0; i < live.Count; i++)
        {
            // Record equality: id, symbol, quantity, entry and exit price, fees, times, reason, highest price.
            Assert.Equal(live[i], backtest[i]);
            Assert.Equal(live[i].ToPosition().RealizedPnl, backtest[i].ToPosition().RealizedPnl);
        }
    }

    private static IEnumerable<TimeSpan> Ticks(TimeSpan offset, TimeSpan interval, TimeSpan window)
    {
        for (var at = offset; at < window; at += interval)
        {
            yield return at;
        }
    }

    /// <summary>The engine's cycle code on timers of a fake clock, stopped with closePositions at the window's end.</summary>
    private static async Task<List<PositionRecord>> RunLiveAsync(Preset preset, string[] symbols, ProcessorIntervals intervals, TimeSpan window)
    {
        var time = new FakeTimeProvider(From);
        var fills = new PaperFillModel();
        var exchange = new PaperExchange(new PaperMarket(42), time, fills, new InMemoryPaperLedger(10_000m));
        var journal = new InMemoryTradeJournal();
        var book = new TradingBook(await journal.LoadAsync(CancellationToken.None));
        var orders = new OrderExecutor(ConnectionId, exchange, journal, book, time);
        var trader = new Trader(StrategyFactory.Create(preset.ToStrategyParameters()), preset.ToRiskParameters(), book, orders, fills);
        var context = new EngineCycleContext(ConnectionId, symbols, exchange, trader);
        var cycles = new EngineCycles([new IndicationsProcessor(time), new StrategiesProcessor(), new RealtimeProcessor()], time,
            TimeSpan.FromSeconds(30));
        var closed = new List<Position>();
        book.PositionSettled += p =>
        {
            if (!p.IsOpen)
            {
                closed.Add(p);
            }
        };

        // As EngineGrain.StartTimers: each processor's first tick at the engine's spread offset, then every interval.
        var timers = Enum.GetValues<ProcessorKind>().Select(kind => time.CreateTimer(
            _ => cycles.RunAsync(kind, context, CancellationToken.None).GetAwaiter().GetResult(), null,
            TimerSpread.Offset(ConnectionId, (ulong)kind, intervals.Of(kind)), intervals.Of(kind))).ToList();
        // The fake clock is moved to each instant a timer is due, so every callback sees its own due time (one big
        // Advance would run the callbacks with the clock already at the end).
        var dues = Enum.GetValues<ProcessorKind>()
            .SelectMany(kind => Ticks(TimerSpread.Offset(ConnectionId, (ulong)kind, intervals.Of(kind)), intervals.Of(kind), window))
            .Distinct().Order().ToList();
        foreach (var due in dues)
        {
            time.Advance(From + due - time.GetUtcNow());
        }
        time.Advance(From + window - TimeSpan.FromTicks(1) - time.GetUtcNow());
        foreach (var timer in timers)
        {
            timer.Dispose();
        }
        time.Advance(TimeSpan.FromTicks(1));
        // As EngineGrain.ShutDownAsync with closePositions.
        foreach (var position in book.OpenPositions.ToList())
        {
            await orders.CloseAsync(position, ExitReason.Shutdown, CancellationToken.None);
        }
        Assert.All(cycles.Health.Values, h => Assert.Equal(0, h.Failures));
        foreach (var kind in Enum.GetValues<ProcessorKind>())
        {
            // Every timer fired at every instant it was due, and only then.
            Assert.Equal(Ticks(TimerSpread.Offset(ConnectionId, (ulong)kind, intervals.Of(kind)), intervals.Of(kind), window).Count(),
                cycles.Health[kind].Runs);
        }
        return closed.Select(PositionRecord.From).ToList();
    }
}
