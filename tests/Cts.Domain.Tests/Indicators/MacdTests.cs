using Cts.Domain.Indicators;

namespace Cts.Domain.Tests.Indicators;

public sealed class MacdTests
{
    [Fact]
    public void Small_case_by_hand()
    {
        // fast 2 (α = 2/3), slow 3 (α = 1/2), signal 2 (α = 2/3) on 1, 3, 2, 6, 4:
        //   EMA2: i1 = (1+3)/2 = 2; i2 = 2 + 2/3·(2−2) = 2; i3 = 2 + 2/3·(6−2) = 14/3; i4 = 14/3 + 2/3·(4−14/3) = 38/9
        //   EMA3: i2 = (1+3+2)/3 = 2; i3 = 2 + ½·(6−2) = 4; i4 = 4 + ½·(4−4) = 4
        //   line: i2 = 0; i3 = 2/3; i4 = 2/9
        //   signal (EMA2 of line): i3 = (0 + 2/3)/2 = 1/3; i4 = 1/3 + 2/3·(2/9 − 1/3) = 7/27
        //   histogram: i3 = 1/3; i4 = 2/9 − 7/27 = −1/27
        var macd = Macd.Compute([1, 3, 2, 6, 4], fast: 2, slow: 3, signal: 2);

        Assert.Null(macd[0]);
        Assert.Null(macd[1]);
        Assert.Null(macd[2]); // line exists (0) but the signal needs two line values
        AssertMacd(macd[3], line: 2 / 3.0, signal: 1 / 3.0, histogram: 1 / 3.0);
        AssertMacd(macd[4], line: 2 / 9.0, signal: 7 / 27.0, histogram: -1 / 27.0);
    }

    [Fact]
    public void Default_macd_is_ema12_minus_ema26_with_an_ema9_signal_computed_independently()
    {
        var closes = ReferenceSeries.MarketCloses();
        var ema12 = Ema.Compute(closes, 12);
        var ema26 = Ema.Compute(closes, 26);
        // The line from index 25 (first EMA26); the signal is an EMA9 over that line, so it starts 8 line values later.
        var line = Enumerable.Range(25, closes.Length - 25).Select(i => ema12[i]!.Value - ema26[i]!.Value).ToArray();
        var signal = Ema.Compute(line, 9);

        var macd = Macd.Compute(closes);

        Assert.All(macd.Take(33), v => Assert.Null(v));
        for (var i = 33; i < closes.Length; i++)
        {
            var expectedLine = line[i - 25];
            var expectedSignal = signal[i - 25]!.Value;
            AssertMacd(macd[i], expectedLine, expectedSignal, expectedLine - expectedSignal);
        }
    }

    [Fact]
    public void Macd_of_a_straight_line_is_the_difference_of_the_lags_and_a_flat_histogram()
    {
        // On x_i = i an EMA(p) lags by (p−1)/2 (see EmaTests), so line = −5.5 + 12.5 = 7 everywhere and, the line being
        // constant, signal = 7 and histogram = 0.
        var line = Enumerable.Range(0, 80).Select(i => (double)i).ToArray();

        var macd = Macd.Compute(line);

        for (var i = 33; i < line.Length; i++)
        {
            AssertMacd(macd[i], 7, 7, 0);
        }
    }

    [Fact]
    public void Streaming_updates_equal_the_batch_and_expose_the_line_before_the_signal()
    {
        var closes = ReferenceSeries.MarketCloses();
        var batch = Macd.Compute(closes);
        var macd = new Macd();

        Assert.Equal(34, macd.WarmupValues);
        for (var i = 0; i < closes.Length; i++)
        {
            var value = macd.Update(closes[i]);
            Assert.Equal(batch[i], value);
            Assert.Equal(value, macd.Current);
            Assert.Equal(i >= 33, macd.IsReady);
            Assert.Equal(i >= 25, macd.Line.HasValue);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Macd(fast: 26, slow: 12));
        Assert.Throws<ArgumentException>(() => new Macd(fast: 12, slow: 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Macd(signal: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Macd().Update(double.NaN));
    }

    private static void AssertMacd(MacdValue? actual, double line, double signal, double histogram)
    {
        Assert.True(actual.HasValue);
        Assert.Equal(line, actual.Value.Line, 9);
        Assert.Equal(signal, actual.Value.Signal, 9);
        Assert.Equal(histogram, actual.Value.Histogram, 9);
    }
}
