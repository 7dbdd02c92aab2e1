using Cts.Domain.Indicators;
using Cts.Domain.Market;

namespace Cts.Domain.Tests.Indicators;

public sealed class AtrTests
{
    private static readonly DateTimeOffset Start = new(2010, 4, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// QQQQ daily high, low, close, 01-Apr-2010 to 13-May-2010, from the StockCharts ChartSchool article
    /// "Average True Range (ATR)" (spreadsheet cs-atr.xls).
    /// </summary>
    private static readonly (double High, double Low, double Close)[] ChartSchoolBars =
    [
        (48.70, 47.79, 48.16), (48.72, 48.14, 48.61), (48.90, 48.39, 48.75), (48.87, 48.37, 48.63),
        (48.82, 48.24, 48.74), (49.05, 48.635, 49.03), (49.20, 48.94, 49.07), (49.35, 48.86, 49.32),
        (49.92, 49.50, 49.91), (50.19, 49.87, 50.13), (50.12, 49.20, 49.53), (49.66, 48.90, 49.50),
        (49.88, 49.43, 49.75), (50.19, 49.725, 50.03), (50.36, 49.26, 50.31), (50.57, 50.09, 50.52),
        (50.65, 50.30, 50.41), (50.43, 49.21, 49.34), (49.63, 48.98, 49.37), (50.33, 49.61, 50.23),
        (50.29, 49.20, 49.2375), (50.17, 49.43, 49.93), (49.32, 48.08, 48.43), (48.50, 47.64, 48.18),
        (48.3201, 41.55, 46.57), (46.80, 44.2833, 45.41), (47.80, 47.31, 47.77), (48.39, 47.20, 47.72),
        (48.66, 47.90, 48.62), (48.79, 47.7301, 47.85),
    ];

    private static IReadOnlyList<Candle> ChartSchoolCandles() => ChartSchoolBars
        .Select((b, i) => new Candle(Start.AddDays(i), (decimal)b.Close, (decimal)b.High, (decimal)b.Low, (decimal)b.Close, 1m))
        .ToArray();

    [Fact]
    public void Fourteen_period_atr_matches_the_stockcharts_chartschool_table()
    {
        // Reference: StockCharts ChartSchool "Average True Range (ATR)" worked example (cs-atr.xls), ATR column to 4
        // decimals. The first true range is high − low (0.91); the first ATR, 0.555 on the 14th bar, is the mean of the
        // first 14 true ranges; then (previous × 13 + TR) / 14.
        double[] published =
        [
            0.5550, 0.5939, 0.5858, 0.5689, 0.6155, 0.6179, 0.6424, 0.6743, 0.6928, 0.7754, 0.7815,
            1.2092, 1.3026, 1.3803, 1.3667, 1.3362, 1.3165,
        ];

        var atr = Atr.Compute(ChartSchoolCandles(), 14);

        Assert.All(atr.Take(13), v => Assert.Null(v));
        for (var i = 0; i < published.Length; i++)
        {
            Assert.True(Math.Abs(atr[13 + i]!.Value - published[i]) <= 0.00005 + 1e-9,
                $"ATR[{13 + i}]: expected {published[i]}, got {atr[13 + i]}");
        }
    }

    [Fact]
    public void True_range_takes_gaps_from_the_previous_close_into_account()
    {
        // From the same ChartSchool table's TR column:
        //   01-Apr-2010, first bar: no previous close, TR = 48.70 − 47.79 = 0.91
        //   06-May-2010: the range wins, 48.3201 − 41.55 = 6.7701
        //   07-May-2010: range 46.80 − 44.2833 = 2.5167 beats |44.2833 − 46.57| = 2.2867
        //   10-May-2010: the gap wins, |47.80 − 45.41| = 2.39 beats the range 0.49
        Assert.Equal(0.91, Atr.TrueRange(48.70, 47.79, null), 9);
        Assert.Equal(6.7701, Atr.TrueRange(48.3201, 41.55, 48.18), 9);
        Assert.Equal(2.5167, Atr.TrueRange(46.80, 44.2833, 46.57), 9);
        Assert.Equal(2.39, Atr.TrueRange(47.80, 47.31, 45.41), 9);
        // And a gap down: previous close 50, candle 45–46 → |45 − 50| = 5.
        Assert.Equal(5, Atr.TrueRange(46, 45, 50), 9);
    }

    [Fact]
    public void Atr_of_constant_range_candles_is_that_range()
    {
        // Every candle spans 99–101 around a close of 100, so each true range is 2 and so is every average of them.
        var candles = Enumerable.Range(0, 40)
            .Select(i => new Candle(Start.AddMinutes(i), 100m, 101m, 99m, 100m, 1m))
            .ToArray();

        var atr = Atr.Compute(candles, 14);

        Assert.All(atr.Take(13), v => Assert.Null(v));
        Assert.All(atr.Skip(13), v => Assert.Equal(2.0, v!.Value, 12));
    }

    [Fact]
    public void Streaming_updates_equal_the_batch_and_report_readiness()
    {
        var candles = ReferenceSeries.MarketCandles();
        var batch = Atr.Compute(candles, 14);
        var atr = new Atr(14);

        for (var i = 0; i < candles.Count; i++)
        {
            var value = atr.Update(candles[i]);
            Assert.Equal(batch[i], value);
            Assert.Equal(value, atr.Current);
            Assert.Equal(i >= 13, atr.IsReady);
            Assert.True(value is null or > 0);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Atr(0));
        Assert.Throws<ArgumentException>(() => new Atr().Update(high: 9, low: 10, close: 9.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Atr().Update(double.NaN, 1, 1));
    }
}
