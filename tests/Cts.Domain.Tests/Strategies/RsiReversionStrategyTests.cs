using Cts.Domain.Strategies;

namespace Cts.Domain.Tests.Strategies;

public sealed class RsiReversionStrategyTests
{
    private static readonly RsiReversionStrategy Default = new(new StrategyParameters(Name: StrategyNames.RsiReversion));

    /// <summary>
    /// QQQQ closes from the StockCharts ChartSchool RSI worked example (cs-rsi.xls), whose published 14-day RSI is
    /// 69.41 on the 18th close and 37.77 on the 33rd (last) close — see RsiTests.
    /// </summary>
    private static readonly decimal[] ChartSchoolCloses =
    [
        44.3389m, 44.0902m, 44.1497m, 43.6124m, 44.3278m, 44.8264m, 45.0955m, 45.4245m, 45.8433m, 46.0826m,
        45.8931m, 46.0328m, 45.6140m, 46.2820m, 46.2820m, 46.0028m, 46.0328m, 46.4116m, 46.2222m, 45.6439m,
        46.2122m, 46.2521m, 45.7137m, 46.4515m, 45.7835m, 45.3548m, 44.0288m, 44.1783m, 44.2181m, 44.5672m,
        43.4205m, 42.6628m, 43.1314m,
    ];

    private static StrategySignal Evaluate(double oversold, double overbought, IEnumerable<decimal> closes) =>
        new RsiReversionStrategy(new StrategyParameters(StrategyNames.RsiReversion, RsiOversold: oversold, RsiOverbought: overbought))
            .Evaluate(CandleSeries.FromCloses(closes));

    [Fact]
    public void A_sell_off_is_oversold_and_enters_on_the_last_candle()
    {
        // Strictly falling: no gains, RSI = 0 < 30.
        var candles = CandleSeries.FromCloses(CandleSeries.Ramp(100m, -0.5m, 20));

        var signal = Default.Evaluate(candles);

        Assert.Equal(SignalKind.Enter, signal.Kind);
        Assert.Equal(CandleSeries.OpenTimeOf(19), signal.SignalTime);
        Assert.Equal(0, signal.Values["rsi"]);
    }

    [Fact]
    public void A_rally_is_overbought_and_exits()
    {
        // Strictly rising: no losses, RSI = 100 > 70.
        var candles = CandleSeries.FromCloses(CandleSeries.Ramp(100m, 0.5m, 20));

        var signal = Default.Evaluate(candles);

        Assert.Equal(SignalKind.Exit, signal.Kind);
        Assert.Equal(CandleSeries.OpenTimeOf(19), signal.SignalTime);
    }

    [Fact]
    public void Between_the_thresholds_nothing_happens()
    {
        // Flat: RSI = 50.
        var signal = Default.Evaluate(CandleSeries.FromCloses(CandleSeries.Flat(100m, 20)));

        Assert.Equal(SignalKind.None, signal.Kind);
        Assert.Null(signal.SignalTime);
        Assert.Equal(50, signal.Values["rsi"]);
    }

    [Fact]
    public void Thresholds_are_strict()
    {
        // Flat series: RSI exactly 50. Oversold 50 does not enter (50 is not below 50); overbought 50 does not exit.
        Assert.Equal(SignalKind.None, Evaluate(50, 60, CandleSeries.Flat(100m, 20)).Kind);
        Assert.Equal(SignalKind.None, Evaluate(40, 50, CandleSeries.Flat(100m, 20)).Kind);
    }

    [Fact]
    public void Thresholds_apply_to_the_published_chartschool_rsi()
    {
        // Last close: published RSI 37.77 → below 40 enters, below 30 does not.
        Assert.Equal(SignalKind.Enter, Evaluate(40, 70, ChartSchoolCloses).Kind);
        Assert.Equal(SignalKind.None, Evaluate(30, 70, ChartSchoolCloses).Kind);
        // 18th close: published RSI 69.41 → above 69 exits, not above 70.
        Assert.Equal(SignalKind.Exit, Evaluate(30, 69, ChartSchoolCloses.Take(18)).Kind);
        Assert.Equal(SignalKind.None, Evaluate(30, 70, ChartSchoolCloses.Take(18)).Kind);
    }

    [Fact]
    public void Too_few_candles_give_none()
    {
        // RSI(14) needs 15 closes.
        Assert.Equal(15, Default.WarmupCandles);
        var falling = CandleSeries.FromCloses(CandleSeries.Ramp(100m, -0.5m, 15));

        Assert.Equal(SignalKind.None, Default.Evaluate(falling.Take(14).ToArray()).Kind);
        Assert.Equal(SignalKind.Enter, Default.Evaluate(falling).Kind);
    }
}
