namespace Cts.Domain.Market;

/// <summary>
/// A market made of imported one-minute candles, quoted the way the paper venue quotes its own market: inside minute m
/// the log mid price moves linearly from the candle's open to its close (<see cref="MinutePrices"/>), with the same
/// spread. The instant a candle ends is quoted at its close, so a window may end right after its last candle.
/// </summary>
public sealed class CandleMarket : IMarketData
{
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

    /// <param name="candles">Per symbol, consecutive one-minute candles in ascending order (see <see cref="CandleSeriesValidator"/>).</param>
    public CandleMarket(IReadOnlyDictionary<string, IReadOnlyList<Candle>> candles, double spreadBps = 2.0)
    {
        ArgumentNullException.ThrowIfNull(candles);
        SpreadBps = spreadBps;
        foreach (var (symbol, list) in candles)
        {
            if (list.Count == 0)
            {
                continue;
            }
            var first = MinutePrices.MinuteOf(list[0].OpenTime);
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].OpenTime != MinutePrices.StartOf(first + i))
                {
                    throw new ArgumentException($"{symbol}: candle {i} ({list[i].OpenTime:O}) is not one minute after the one before", nameof(candles));
                }
            }
            _series[symbol] = new Series(first, list.ToArray());
        }
    }

    public double SpreadBps { get; }

    /// <summary>The first and last minute covered for <paramref name="symbol"/>, or null when there are no candles.</summary>
    public (DateTimeOffset First, DateTimeOffset Last)? Coverage(string symbol) =>
        _series.TryGetValue(symbol, out var s) ? (MinutePrices.StartOf(s.First), MinutePrices.StartOf(s.First + s.Candles.Length - 1)) : null;

    public Quote QuoteAt(string symbol, DateTimeOffset at)
    {
        var series = SeriesOf(symbol);
        var (minute, fraction) = MinutePrices.Split(at);
        var index = minute - series.First;
        if (index == series.Candles.Length && fraction == 0)
        {
            (index, fraction) = (index - 1, 1.0); // the end of the last candle: its close
        }
        if (index < 0 || index >= series.Candles.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"no {symbol} candle covers this time");
        }
        var candle = series.Candles[index];
        var mid = MinutePrices.Mid(Math.Log((double)candle.Open), Math.Log((double)candle.Close), fraction);
        return MinutePrices.Around(symbol, mid, SpreadBps, at);
    }

    public IReadOnlyList<Candle> RecentCandles(string symbol, DateTimeOffset now, int count)
    {
        var series = SeriesOf(symbol);
        var end = Math.Clamp(MinutePrices.MinuteOf(now) - series.First, 0, series.Candles.Length);
        var start = Math.Max(end - count, 0);
        return new ArraySegment<Candle>(series.Candles, (int)start, (int)(end - start));
    }

    private Series SeriesOf(string symbol) => _series.TryGetValue(symbol, out var s)
        ? s
        : throw new ArgumentException($"no candles for {symbol}", nameof(symbol));

    private sealed record Series(long First, Candle[] Candles);
}
