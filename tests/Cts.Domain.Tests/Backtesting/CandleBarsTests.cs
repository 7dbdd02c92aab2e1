using Cts.Domain.Market;

namespace Cts.Domain.Tests.Backtesting;

public sealed class CandleBarsTests
{
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(60, 1)]          // an hour: one-minute bars
    [InlineData(2000, 1)]
    [InlineData(2001, 3)]
    [InlineData(7 * 1440, 15)]   // a week: 2,016 bars of 5 m are too many, 672 of 15 m are not
    [InlineData(525_600, 360)]   // a year: 1,460 bars of 6 h
    [InlineData(527_040, 360)]   // 366 days
    public void The_interval_is_the_smallest_that_draws_the_window_in_at_most_2000_bars(int minutes, int expected)
    {
        var interval = CandleBars.IntervalFor(From, From.AddMinutes(minutes));
        Assert.Equal(expected, interval);
        Assert.True(Math.Ceiling(minutes / (double)interval) <= CandleBars.MaxBars);
    }

    [Fact]
    public void Bars_fold_open_high_low_close_and_volume_from_the_window_start()
    {
        var bars = new CandleBars(From, From.AddMinutes(7), 3);
        var candles = new[]
        {
            new Candle(From, 10, 12, 9, 11, 1), new Candle(From.AddMinutes(1), 11, 15, 10, 14, 2), new Candle(From.AddMinutes(2), 14, 14, 8, 9, 3),
            new Candle(From.AddMinutes(3), 9, 10, 9, 10, 4), new Candle(From.AddMinutes(6), 10, 11, 10, 11, 5),
            new Candle(From.AddMinutes(7), 99, 99, 99, 99, 99), // past the window
        };
        foreach (var c in candles)
        {
            bars.Add(c);
        }
        Assert.Equal(
            [new Candle(From, 10, 15, 8, 9, 6), new Candle(From.AddMinutes(3), 9, 10, 9, 10, 4), new Candle(From.AddMinutes(6), 10, 11, 10, 11, 5)],
            bars.Bars);
        Assert.Equal(From.AddMinutes(3), bars.BarOf(From.AddMinutes(5).AddSeconds(59)));
        Assert.Equal(From.AddMinutes(6), bars.BarOf(From.AddMinutes(7))); // closed at the window's end: the last bar
        Assert.Equal("6h", CandleBars.Name(360));
        Assert.Equal("1d", CandleBars.Name(1440));
        Assert.Equal("15m", CandleBars.Name(15));
    }
}
