using Cts.Domain.Market;
using Cts.Domain.Strategies;

namespace Cts.Domain.Tests.Strategies;

/// <summary>
/// An engine's strategy is evaluated once per candle list of each symbol: the strategies cycle asking again about the
/// same list gets the same signal without an evaluation, and a new list (a candle closed) is evaluated.
/// </summary>
public sealed class MemoizedStrategyTests
{
    private static IReadOnlyList<Candle> Candles(decimal start) => CandleSeries.FromCloses(CandleSeries.Ramp(start, 1m, 30));

    [Fact]
    public void The_same_list_is_evaluated_once_and_gives_the_signal_the_strategy_gave()
    {
        var inner = new CountingStrategy(new EmaCrossoverStrategy(new StrategyParameters()));
        var strategy = new MemoizedStrategy(inner, symbols: 1);
        var candles = Candles(100m);

        var first = strategy.Evaluate(candles);
        var again = strategy.Evaluate(candles);

        Assert.Equal(1, inner.Evaluations);
        Assert.Same(first, again);
        Assert.Equal(new EmaCrossoverStrategy(new StrategyParameters()).Evaluate(candles).Values, first.Values);
        Assert.Equal((inner.Name, inner.WarmupCandles), (strategy.Name, strategy.WarmupCandles));
    }

    [Fact]
    public void A_new_list_is_evaluated_even_when_its_candles_are_the_same()
    {
        var inner = new CountingStrategy(new EmaCrossoverStrategy(new StrategyParameters()));
        var strategy = new MemoizedStrategy(inner, symbols: 1);

        strategy.Evaluate(Candles(100m));
        strategy.Evaluate(Candles(100m));

        Assert.Equal(2, inner.Evaluations);
    }

    [Fact]
    public void Each_symbol_keeps_its_own_signal_while_the_cycle_alternates_between_them()
    {
        var inner = new CountingStrategy(new EmaCrossoverStrategy(new StrategyParameters()));
        var strategy = new MemoizedStrategy(inner, symbols: 2);
        var (btc, eth) = (Candles(100m), Candles(2000m));

        for (var cycle = 0; cycle < 12; cycle++)
        {
            strategy.Evaluate(btc);
            strategy.Evaluate(eth);
        }
        Assert.Equal(2, inner.Evaluations);

        var closed = Candles(101m); // BTC's next minute: it replaces the older of the two
        strategy.Evaluate(closed);
        strategy.Evaluate(eth);
        strategy.Evaluate(closed);
        Assert.Equal(3, inner.Evaluations);
    }

    private sealed class CountingStrategy(IStrategy inner) : IStrategy
    {
        public int Evaluations { get; private set; }

        public string Name => inner.Name;

        public int WarmupCandles => inner.WarmupCandles;

        public StrategySignal Evaluate(IReadOnlyList<Candle> closedCandles)
        {
            Evaluations++;
            return inner.Evaluate(closedCandles);
        }
    }
}
