using Cts.Domain.Indicators;

namespace Cts.Domain.Tests.Indicators;

public sealed class SmaTests
{
    [Fact]
    public void Sma_of_1_to_5_over_3_is_the_mean_of_each_window()
    {
        // By hand: (1+2+3)/3 = 2, (2+3+4)/3 = 3, (3+4+5)/3 = 4.
        Assert.Equal([null, null, 2.0, 3.0, 4.0], Sma.Compute([1, 2, 3, 4, 5], 3));
    }

    [Fact]
    public void Ten_day_sma_matches_the_stockcharts_chartschool_table()
    {
        // Reference: StockCharts ChartSchool, "Moving Averages - Simple and Exponential", 10-day SMA column of the
        // Intel worked example, published to 2 decimals. First value on the 10th close.
        double[] published =
        [
            22.22, 22.21, 22.23, 22.26, 22.31, 22.42, 22.61, 22.77, 22.91, 23.08, 23.21,
            23.38, 23.53, 23.65, 23.71, 23.69, 23.61, 23.51, 23.43, 23.28, 23.13,
        ];

        var sma = Sma.Compute(ReferenceSeries.IntelCloses, 10);

        Assert.All(sma.Take(9), v => Assert.Null(v));
        for (var i = 0; i < published.Length; i++)
        {
            ReferenceSeries.EqualTo2Decimals(published[i], sma[9 + i], $"SMA[{9 + i}]");
        }
    }

    [Fact]
    public void Streaming_updates_equal_the_batch_and_report_readiness()
    {
        var closes = ReferenceSeries.MarketCloses();
        var batch = Sma.Compute(closes, 20);
        var sma = new Sma(20);

        for (var i = 0; i < closes.Length; i++)
        {
            var value = sma.Update(closes[i]);
            Assert.Equal(batch[i], value);
            Assert.Equal(value, sma.Current);
            Assert.Equal(i >= 19, sma.IsReady);
        }
    }

    [Fact]
    public void A_long_stream_does_not_drift_from_the_exact_window_mean()
    {
        // Running sums lose precision when large and small values alternate; the periodic refresh keeps it exact.
        var sma = new Sma(4);
        for (var i = 0; i < 100_000; i++)
        {
            sma.Update(i % 2 == 0 ? 1e12 : 1e-3);
        }
        for (var i = 0; i < 4; i++)
        {
            sma.Update(0.25 * (i + 1)); // window: 0.25, 0.5, 0.75, 1.0
        }

        Assert.Equal(0.625, sma.Current!.Value, 12);
    }

    [Fact]
    public void Period_one_is_the_value_itself()
    {
        Assert.Equal([5.0, 7.0, 3.0], Sma.Compute([5, 7, 3], 1));
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sma(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sma(3).Update(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sma(3).Update(double.PositiveInfinity));
    }
}
