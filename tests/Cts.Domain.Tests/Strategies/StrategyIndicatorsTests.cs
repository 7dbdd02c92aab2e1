using Cts.Domain.Indicators;
using Cts.Domain.Strategies;

namespace Cts.Domain.Tests.Strategies;

public sealed class StrategyIndicatorsTests
{
    private static readonly decimal[] Closes = [.. CandleSeries.Ramp(100m, 1m, 12), .. CandleSeries.Ramp(111m, -2m, 12)];

    [Fact]
    public void Ema_crossover_draws_its_fast_and_slow_EMA_over_the_price_from_the_candle_each_is_ready_on()
    {
        var candles = CandleSeries.FromCloses(Closes);

        var lines = StrategyIndicators.Compute(new StrategyParameters(StrategyNames.EmaCrossover, EmaFast: 3, EmaSlow: 8), candles);

        Assert.Equal(["EMA 3", "EMA 8"], lines.Select(l => l.Name).ToArray());
        Assert.All(lines, l => Assert.Equal(StrategyIndicators.Overlay, l.Pane));
        var expected = Ema.Compute(candles.Select(c => (double)c.Close).ToList(), 8);
        var slow = lines[1].Points;
        Assert.Equal(candles.Count - 7, slow.Count);
        Assert.Equal(CandleSeries.OpenTimeOf(7), slow[0].Time);
        Assert.Equal(expected[7], slow[0].Value);
        Assert.Equal(expected[^1], slow[^1].Value);
    }

    [Fact]
    public void A_filtered_ema_crossover_adds_its_RSI_below_with_the_overbought_level()
    {
        var lines = StrategyIndicators.Compute(
            new StrategyParameters(StrategyNames.EmaCrossover, EmaFast: 3, EmaSlow: 8, UseRsiFilter: true, RsiPeriod: 5, RsiOverbought: 65),
            CandleSeries.FromCloses(Closes));

        var rsi = lines[2];
        Assert.Equal("RSI 5", rsi.Name);
        Assert.Equal(StrategyIndicators.Oscillator, rsi.Pane);
        Assert.Equal([65.0], rsi.Levels);
    }

    [Fact]
    public void Rsi_reversion_draws_only_its_RSI_with_both_thresholds_and_values_from_the_domains_RSI()
    {
        var candles = CandleSeries.FromCloses(Closes);

        var line = Assert.Single(StrategyIndicators.Compute(
            new StrategyParameters(StrategyNames.RsiReversion, RsiPeriod: 6, RsiOversold: 25, RsiOverbought: 75), candles));

        Assert.Equal([25.0, 75.0], line.Levels);
        var expected = Rsi.Compute(candles.Select(c => (double)c.Close).ToList(), 6);
        Assert.Equal(candles.Count - 6, line.Points.Count);
        Assert.Equal(expected[^1], line.Points[^1].Value);
        Assert.True(line.Points[^1].Value < 50, "the series ends falling");
    }

    [Fact]
    public void Candles_out_of_order_are_refused()
    {
        var candles = CandleSeries.FromCloses(Closes).Reverse().ToList();
        Assert.Throws<ArgumentException>(() => StrategyIndicators.Compute(new StrategyParameters(), candles));
    }
}
