using Cts.Domain.Indicators;

namespace Cts.Domain.Tests.Indicators;

public sealed class EmaTests
{
    [Fact]
    public void Ema_3_is_seeded_with_the_sma_then_smoothed_with_alpha_one_half()
    {
        // By hand, period 3 → α = 2/(3+1) = 0.5, values 2, 4, 6, 8, 12:
        //   index 2: seed = SMA(2, 4, 6) = 4
        //   index 3: 4 + 0.5 × (8 − 4)  = 6
        //   index 4: 6 + 0.5 × (12 − 6) = 9
        Assert.Equal([null, null, 4.0, 6.0, 9.0], Ema.Compute([2, 4, 6, 8, 12], 3));
    }

    [Fact]
    public void Ten_day_ema_matches_the_stockcharts_chartschool_table()
    {
        // Reference: StockCharts ChartSchool, "Moving Averages - Simple and Exponential", 10-day EMA column of the
        // Intel worked example, published to 2 decimals: seeded with the 10-day SMA (22.22) on the
        // 10th close, multiplier 2/(10+1) = 0.1818 after that.
        double[] published =
        [
            22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.80, 22.97, 23.13, 23.28, 23.34,
            23.43, 23.51, 23.54, 23.47, 23.40, 23.39, 23.26, 23.23, 23.08, 22.92,
        ];

        var ema = Ema.Compute(ReferenceSeries.IntelCloses, 10);

        Assert.All(ema.Take(9), v => Assert.Null(v));
        for (var i = 0; i < published.Length; i++)
        {
            ReferenceSeries.EqualTo2Decimals(published[i], ema[9 + i], $"EMA[{9 + i}]");
        }
    }

    [Fact]
    public void Ema_of_a_constant_series_is_that_constant()
    {
        var ema = Ema.Compute(Enumerable.Repeat(42.5, 50).ToArray(), 9);

        Assert.All(ema.Skip(8), v => Assert.Equal(42.5, v!.Value, 12));
    }

    [Fact]
    public void Ema_of_a_straight_line_lags_it_by_half_the_period_minus_one()
    {
        // On x_i = i the SMA seed at index p−1 is (p−1)/2, i.e. a lag of (p−1)/2, and the recursion keeps that lag
        // exactly: (x − lag) + α × (x + 1 − (x − lag)) = x + 1 − lag when α × (1 + lag) = 1, true for α = 2/(p+1).
        var line = Enumerable.Range(0, 60).Select(i => (double)i).ToArray();

        var ema = Ema.Compute(line, 9);

        for (var i = 8; i < line.Length; i++)
        {
            Assert.Equal(i - 4.0, ema[i]!.Value, 9);
        }
    }

    [Fact]
    public void Streaming_updates_equal_the_batch_and_report_readiness()
    {
        var closes = ReferenceSeries.MarketCloses();
        var batch = Ema.Compute(closes, 21);
        var ema = new Ema(21);

        for (var i = 0; i < closes.Length; i++)
        {
            var value = ema.Update(closes[i]);
            Assert.Equal(batch[i], value);
            Assert.Equal(value, ema.Current);
            Assert.Equal(i >= 20, ema.IsReady);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ema(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ema(3).Update(double.NaN));
    }
}
