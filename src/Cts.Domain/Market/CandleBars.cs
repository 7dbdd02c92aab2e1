namespace Cts.Domain.Market;

/// <summary>
/// One-minute candles folded into bars of a whole number of minutes for a chart of a window, so a year of candles
/// becomes at most <see cref="MaxBars"/> bars. Bars start at the window's <c>from</c> and every interval after it (the
/// last one may be shorter); a bar's open is its first candle's, its close its last one's, high and low the extremes and
/// volume the sum. Minutes without a candle are left out; a bar with none is not made.
/// </summary>
/// <remarks>Pure and not thread-safe: candles are added in ascending time, one chart owns one instance.</remarks>
public sealed class CandleBars
{
    public const int MaxBars = 2000;

    /// <summary>The intervals a chart is offered in, in minutes: 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d, 3d, 1w.</summary>
    public static readonly IReadOnlyList<int> Intervals = [1, 3, 5, 15, 30, 60, 120, 240, 360, 720, 1440, 4320, 10080];

    private readonly List<Candle> _bars = [];
    private readonly DateTimeOffset _from;
    private readonly DateTimeOffset _to;

    public CandleBars(DateTimeOffset from, DateTimeOffset to, int intervalMinutes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalMinutes, 1);
        if (to <= from)
        {
            throw new ArgumentException("the window must end after it starts", nameof(to));
        }
        (_from, _to, IntervalMinutes) = (from, to, intervalMinutes);
    }

    public int IntervalMinutes { get; }

    /// <summary>The bars so far, oldest first.</summary>
    public IReadOnlyList<Candle> Bars => _bars;

    /// <summary>The smallest of <see cref="Intervals"/> that draws the window in at most <paramref name="maxBars"/> bars.</summary>
    public static int IntervalFor(DateTimeOffset from, DateTimeOffset to, int maxBars = MaxBars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBars, 1);
        var minutes = Math.Ceiling((to - from).TotalMinutes);
        return Intervals.FirstOrDefault(i => Math.Ceiling(minutes / i) <= maxBars, Intervals[^1]);
    }

    /// <summary>"1m", "15m", "4h", "1d", "1w".</summary>
    public static string Name(int minutes) => minutes switch
    {
        _ when minutes % 10080 == 0 => $"{minutes / 10080}w",
        _ when minutes % 1440 == 0 => $"{minutes / 1440}d",
        _ when minutes % 60 == 0 => $"{minutes / 60}h",
        _ => $"{minutes}m",
    };

    /// <summary>
    /// The start of the bar that <paramref name="at"/> falls in; an instant at or past the window's end (a position closed
    /// at <c>to</c>) belongs to the last bar.
    /// </summary>
    public DateTimeOffset BarOf(DateTimeOffset at)
    {
        var clamped = at < _from ? _from : at >= _to ? _to.AddTicks(-1) : at;
        var index = (long)Math.Floor((clamped - _from).TotalMinutes / IntervalMinutes);
        return _from.AddMinutes(index * IntervalMinutes);
    }

    /// <summary>Folds the next candle (ascending time; outside the window it is ignored) into its bar.</summary>
    public void Add(Candle candle)
    {
        ArgumentNullException.ThrowIfNull(candle);
        if (candle.OpenTime < _from || candle.OpenTime >= _to)
        {
            return;
        }
        var start = BarOf(candle.OpenTime);
        if (_bars.Count > 0 && _bars[^1].OpenTime == start)
        {
            var bar = _bars[^1];
            _bars[^1] = bar with
            {
                High = Math.Max(bar.High, candle.High),
                Low = Math.Min(bar.Low, candle.Low),
                Close = candle.Close,
                Volume = bar.Volume + candle.Volume,
            };
            return;
        }
        if (_bars.Count > 0 && _bars[^1].OpenTime > start)
        {
            throw new ArgumentException($"candles must come in ascending time ({candle.OpenTime:O} after {_bars[^1].OpenTime:O})", nameof(candle));
        }
        _bars.Add(candle with { OpenTime = start });
    }
}
