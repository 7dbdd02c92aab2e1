using Cts.Domain.Market;

namespace Cts.Domain.Tests.Strategies;

/// <summary>
/// Builds one-minute candles from closes: candle i opens at <see cref="Start"/> + i minutes, opens at the previous
/// close, and its high/low are the larger/smaller of open and close.
/// </summary>
internal static class CandleSeries
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset OpenTimeOf(int index) => Start.AddMinutes(index);

    public static IReadOnlyList<Candle> FromCloses(IEnumerable<decimal> closes)
    {
        var result = new List<Candle>();
        decimal? previous = null;
        foreach (var close in closes)
        {
            var open = previous ?? close;
            result.Add(new Candle(OpenTimeOf(result.Count), open, Math.Max(open, close), Math.Min(open, close), close, 1m));
            previous = close;
        }
        return result;
    }

    public static IReadOnlyList<Candle> FromCloses(params decimal[] closes) => FromCloses((IEnumerable<decimal>)closes);

    /// <summary><paramref name="count"/> closes from <paramref name="first"/>, each <paramref name="step"/> from the one before.</summary>
    public static IEnumerable<decimal> Ramp(decimal first, decimal step, int count) =>
        Enumerable.Range(0, count).Select(i => first + step * i);

    public static IEnumerable<decimal> Flat(decimal close, int count) => Enumerable.Repeat(close, count);
}
