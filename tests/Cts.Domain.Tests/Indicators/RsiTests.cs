using Cts.Domain.Indicators;

namespace Cts.Domain.Tests.Indicators;

public sealed class RsiTests
{
    /// <summary>
    /// QQQQ daily closes, 14-Dec-2009 to 01-Feb-2010, from the StockCharts ChartSchool article "Relative Strength
    /// Index (RSI)" (spreadsheet cs-rsi.xls; the article's table shows them rounded to 2 decimals).
    /// </summary>
    private static readonly double[] ChartSchoolCloses =
    [
        44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826,
        45.8931, 46.0328, 45.6140, 46.2820, 46.2820, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439,
        46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672,
        43.4205, 42.6628, 43.1314,
    ];

    [Fact]
    public void Fourteen_period_rsi_matches_the_stockcharts_chartschool_table()
    {
        // Reference: StockCharts ChartSchool "Relative Strength Index (RSI)" worked example (cs-rsi.xls), 14-day RSI
        // column to 2 decimals. First value 70.53 on the 15th close: Wilder's method, averages seeded with the simple
        // mean of the first 14 gains and losses, then (previous × 13 + current) / 14.
        double[] published =
        [
            70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38,
            54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.30, 33.08, 37.77,
        ];

        var rsi = Rsi.Compute(ChartSchoolCloses, 14);

        Assert.All(rsi.Take(14), v => Assert.Null(v));
        for (var i = 0; i < published.Length; i++)
        {
            ReferenceSeries.EqualTo2Decimals(published[i], rsi[14 + i], $"RSI[{14 + i}]");
        }
    }

    [Fact]
    public void Rsi_of_a_strictly_rising_series_is_100()
    {
        var rising = Enumerable.Range(0, 40).Select(i => 100.0 + i * 0.5).ToArray();

        Assert.All(Rsi.Compute(rising, 14).Skip(14), v => Assert.Equal(100.0, v));
    }

    [Fact]
    public void Rsi_of_a_strictly_falling_series_is_0()
    {
        var falling = Enumerable.Range(0, 40).Select(i => 100.0 - i * 0.5).ToArray();

        Assert.All(Rsi.Compute(falling, 14).Skip(14), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Rsi_of_a_flat_series_is_50()
    {
        Assert.All(Rsi.Compute(Enumerable.Repeat(10.0, 30).ToArray(), 14).Skip(14), v => Assert.Equal(50.0, v));
    }

    [Fact]
    public void Small_case_by_hand()
    {
        // Period 2 on 10, 11, 10.5, 12:
        //   changes +1, −0.5, +1.5
        //   index 2: avgGain = (1 + 0)/2 = 0.5, avgLoss = (0 + 0.5)/2 = 0.25, RS = 2, RSI = 100 − 100/3 = 66.67
        //   index 3: avgGain = (0.5 × 1 + 1.5)/2 = 1, avgLoss = (0.25 × 1 + 0)/2 = 0.125, RS = 8, RSI = 100 − 100/9
        var rsi = Rsi.Compute([10, 11, 10.5, 12], 2);

        Assert.Null(rsi[0]);
        Assert.Null(rsi[1]);
        Assert.Equal(100 - 100 / 3.0, rsi[2]!.Value, 10);
        Assert.Equal(100 - 100 / 9.0, rsi[3]!.Value, 10);
    }

    [Fact]
    public void Streaming_updates_equal_the_batch_stay_in_range_and_report_readiness()
    {
        var closes = ReferenceSeries.MarketCloses();
        var batch = Rsi.Compute(closes, 14);
        var rsi = new Rsi(14);

        for (var i = 0; i < closes.Length; i++)
        {
            var value = rsi.Update(closes[i]);
            Assert.Equal(batch[i], value);
            Assert.Equal(value, rsi.Current);
            Assert.Equal(i >= 14, rsi.IsReady);
            if (value is { } v)
            {
                Assert.InRange(v, 0, 100);
            }
        }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rsi(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rsi().Update(double.NaN));
    }
}
