using Cts.Domain.Indicators;
using Cts.Domain.Market;
using Cts.Domain.Strategies;

namespace Cts.Domain.Tests.Strategies;

public sealed class EmaCrossoverStrategyTests
{
    private static readonly EmaCrossoverStrategy Default = new(new StrategyParameters());

    /// <summary>
    /// 30 closes falling 130 → 101 by 1, then a jump to 170 on candle 30. Before the jump, on a straight line EMA(9)
    /// lags by 4 and EMA(21) by 10, so fast (105) &lt; slow (111). The jump moves fast by 2/10 × 69 and slow by
    /// 2/22 × 69 — enough to put fast above slow on the last candle: a crossover up.
    /// </summary>
    private static IReadOnlyList<Candle> FallThenJump() =>
        CandleSeries.FromCloses(CandleSeries.Ramp(130m, -1m, 30).Append(170m));

    /// <summary>30 closes rising 100 → 129, then a drop to 69 on candle 30: a crossover down, mirror image of the above.</summary>
    private static IReadOnlyList<Candle> RiseThenDrop() =>
        CandleSeries.FromCloses(CandleSeries.Ramp(100m, 1m, 30).Append(69m));

    [Fact]
    public void Crossover_up_on_the_last_candle_enters_with_that_candles_open_time()
    {
        var candles = FallThenJump();
        // Preconditions, from the EMAs themselves: below before, above now.
        var closes = CandlePrices.Closes(candles);
        var fast = Ema.Compute(closes, 9);
        var slow = Ema.Compute(closes, 21);
        Assert.True(fast[^2] <= slow[^2]);
        Assert.True(fast[^1] > slow[^1]);

        var signal = Default.Evaluate(candles);

        Assert.Equal(SignalKind.Enter, signal.Kind);
        Assert.Equal(CandleSeries.OpenTimeOf(30), signal.SignalTime);
        Assert.Equal(candles[^1].OpenTime, signal.SignalTime);
        Assert.Equal(fast[^1]!.Value, signal.Values["emaFast"]);
        Assert.Equal(slow[^1]!.Value, signal.Values["emaSlow"]);
        Assert.Contains("crossed above", signal.Reason);
    }

    [Fact]
    public void Crossover_with_exactly_the_warm_up_candles_is_detected_by_hand()
    {
        // 22 candles = WarmupCandles for 9/21. Closes 121 → 101 falling by 1 (21 candles), then 171.
        //   candle 20: EMA9 = 101 + 4 = 105 (lag (9−1)/2 on a line); EMA21 = SMA(121..101) = 111 → fast < slow
        //   candle 21: EMA9 = 105 + 0.2 × (171 − 105) = 118.2; EMA21 = 111 + (2/22) × (171 − 111) = 116.4545… → fast > slow
        var candles = CandleSeries.FromCloses(CandleSeries.Ramp(121m, -1m, 21).Append(171m));
        Assert.Equal(22, Default.WarmupCandles);
        Assert.Equal(22, candles.Count);

        var signal = Default.Evaluate(candles);

        Assert.Equal(SignalKind.Enter, signal.Kind);
        Assert.Equal(CandleSeries.OpenTimeOf(21), signal.SignalTime);
        Assert.Equal(118.2, signal.Values["emaFast"], 9);
        Assert.Equal(111 + 60 / 11.0, signal.Values["emaSlow"], 9);
    }

    [Fact]
    public void Too_few_candles_give_none()
    {
        var candles = CandleSeries.FromCloses(CandleSeries.Ramp(121m, -1m, 21).Append(171m)).Take(21).ToArray();

        var signal = Default.Evaluate(candles);

        Assert.Equal(SignalKind.None, signal.Kind);
        Assert.Null(signal.SignalTime);
        Assert.Contains("warming up", signal.Reason);
        Assert.Equal(SignalKind.None, Default.Evaluate([]).Kind);
    }

    [Fact]
    public void No_crossover_gives_none()
    {
        // Rising all along: fast stays above slow, nothing crosses on the last candle.
        var rising = CandleSeries.FromCloses(CandleSeries.Ramp(100m, 0.5m, 40));
        // Flat: fast equals slow on both candles, which is not "above".
        var flat = CandleSeries.FromCloses(CandleSeries.Flat(100m, 40));

        Assert.Equal(SignalKind.None, Default.Evaluate(rising).Kind);
        Assert.Equal(SignalKind.None, Default.Evaluate(flat).Kind);
        Assert.Null(Default.Evaluate(rising).SignalTime);
    }

    [Fact]
    public void Only_the_crossing_candle_signals_not_the_ones_after_it()
    {
        // Falling then jumping, then three more candles where fast stays above slow.
        var candles = CandleSeries.FromCloses(CandleSeries.Ramp(130m, -1m, 30).Concat([170m, 171m, 172m, 173m]));

        var signals = Enumerable.Range(Default.WarmupCandles, candles.Count - Default.WarmupCandles + 1)
            .Select(n => Default.Evaluate(candles.Take(n).ToArray()))
            .ToArray();

        var enters = signals.Where(s => s.Kind == SignalKind.Enter).ToArray();
        Assert.Single(enters);
        Assert.Equal(CandleSeries.OpenTimeOf(30), enters[0].SignalTime);
        Assert.DoesNotContain(signals, s => s.Kind == SignalKind.Exit);
    }

    [Fact]
    public void Crossover_down_exits()
    {
        var candles = RiseThenDrop();

        var signal = Default.Evaluate(candles);

        Assert.Equal(SignalKind.Exit, signal.Kind);
        Assert.Equal(CandleSeries.OpenTimeOf(30), signal.SignalTime);
        Assert.Contains("crossed below", signal.Reason);
    }

    [Fact]
    public void Rsi_filter_blocks_an_entry_when_rsi_is_overbought()
    {
        var candles = FallThenJump();
        // After 29 one-point losses a 69-point gain: RSI(14) on the last candle is about 84 — overbought at 70.
        var rsi = Rsi.Compute(CandlePrices.Closes(candles), 14)[^1]!.Value;
        Assert.InRange(rsi, 80, 90);
        var filtered = new EmaCrossoverStrategy(new StrategyParameters(UseRsiFilter: true));

        var signal = filtered.Evaluate(candles);

        Assert.Equal(SignalKind.None, signal.Kind);
        Assert.Null(signal.SignalTime);
        Assert.Equal(rsi, signal.Values["rsi"]);
        Assert.Contains("RSI", signal.Reason);
    }

    [Fact]
    public void Rsi_filter_lets_an_entry_through_when_rsi_is_below_overbought()
    {
        // Same candles, RSI ≈ 84, but the threshold is 90.
        var filtered = new EmaCrossoverStrategy(new StrategyParameters(UseRsiFilter: true, RsiOverbought: 90));

        var signal = filtered.Evaluate(FallThenJump());

        Assert.Equal(SignalKind.Enter, signal.Kind);
        Assert.Equal(CandleSeries.OpenTimeOf(30), signal.SignalTime);
    }

    [Fact]
    public void Rsi_filter_never_blocks_an_exit()
    {
        // After a long rise RSI is high; the drop still exits.
        var filtered = new EmaCrossoverStrategy(new StrategyParameters(UseRsiFilter: true, RsiOverbought: 31));

        Assert.Equal(SignalKind.Exit, filtered.Evaluate(RiseThenDrop()).Kind);
    }

    [Fact]
    public void Warm_up_covers_the_slow_ema_and_the_rsi_filter()
    {
        Assert.Equal(22, new EmaCrossoverStrategy(new StrategyParameters()).WarmupCandles);
        Assert.Equal(22, new EmaCrossoverStrategy(new StrategyParameters(UseRsiFilter: true)).WarmupCandles);
        Assert.Equal(31, new EmaCrossoverStrategy(new StrategyParameters(UseRsiFilter: true, RsiPeriod: 30)).WarmupCandles);
        Assert.Equal(22, new EmaCrossoverStrategy(new StrategyParameters(UseRsiFilter: false, RsiPeriod: 30)).WarmupCandles);
    }

    [Fact]
    public void Candles_out_of_order_are_refused()
    {
        var candles = FallThenJump().Reverse().ToArray();

        Assert.Throws<ArgumentException>(() => Default.Evaluate(candles));
    }

    [Fact]
    public void Invalid_parameters_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new EmaCrossoverStrategy(new StrategyParameters(EmaFast: 21, EmaSlow: 9)));
    }
}
