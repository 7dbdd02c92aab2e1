namespace Cts.Domain.Market;

/// <summary>
/// The simulated market of the paper exchange: the price of a symbol at a time is a pure function of
/// (seed, symbol, time), so every node and every restart sees the same market (SPEC §6).
/// </summary>
/// <remarks>
/// Time is cut into segments of 2048 minutes. Each segment boundary has a level drawn from the hash of
/// (seed, symbol, segment) around the symbol's base price; inside a segment the log-price follows a Brownian
/// bridge built by midpoint displacement, each midpoint's displacement drawn from the hash of its position.
/// So any minute's price is computed in O(log 2048) steps with no state, and the path looks like a random walk
/// with per-minute volatility <see cref="MinuteVolatility"/>. Within a minute the price moves linearly between
/// the two minute marks.
/// </remarks>
public sealed class PaperMarket : IMarketData
{
    /// <summary>Prices (mid, bid, ask, candles) are rounded to this many decimals: the paper price tick.</summary>
    public const int PriceDecimals = 8;

    private const int SegmentMinutes = 2048;
    private static readonly DateTimeOffset Epoch = MinutePrices.Epoch;

    private readonly ulong _seed;

    // The latest candle history per (symbol, count): every engine trading a symbol asks for the same completed
    // candles until the minute turns, so they share one read-only list instead of each building its own.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Symbol, int Count), RecentHistory> _recent = new();

    private sealed record RecentHistory(DateTimeOffset Minute, IReadOnlyList<Candle> Candles);

    public PaperMarket(ulong seed = 42, double minuteVolatility = 0.0012, double spreadBps = 2.0)
    {
        _seed = seed;
        MinuteVolatility = minuteVolatility;
        SpreadBps = spreadBps;
    }

    /// <summary>Standard deviation of the one-minute log return.</summary>
    public double MinuteVolatility { get; }

    /// <summary>The bid/ask spread in basis points of the mid price.</summary>
    public double SpreadBps { get; }

    /// <summary>The mid price of <paramref name="symbol"/> at <paramref name="at"/>.</summary>
    public decimal MidPrice(string symbol, DateTimeOffset at)
    {
        var (minute, fraction) = MinutePrices.Split(at);
        var (a, b) = LogPricesOfMinute(symbol, minute);
        return MinutePrices.Mid(a, b, fraction);
    }

    /// <summary>The log mid price at the start and at the end of minute <paramref name="minute"/> (counted from <see cref="MinutePrices.Epoch"/>).</summary>
    public (double Open, double Close) LogPricesOfMinute(string symbol, long minute)
    {
        var symbolHash = StableHash.Of(symbol);
        return (LogPriceAtMinute(symbolHash, symbol, minute), LogPriceAtMinute(symbolHash, symbol, minute + 1));
    }

    /// <summary>Best bid and ask around the mid price.</summary>
    public Quote QuoteAt(string symbol, DateTimeOffset at) => MinutePrices.Around(symbol, MidPrice(symbol, at), SpreadBps, at);

    /// <summary>The one-minute candle that starts at the minute containing <paramref name="minuteStart"/>.</summary>
    public Candle CandleAt(string symbol, DateTimeOffset minuteStart)
    {
        var symbolHash = StableHash.Of(symbol);
        var minute = (long)Math.Floor((minuteStart - Epoch).TotalMinutes);
        var open = Math.Exp(LogPriceAtMinute(symbolHash, symbol, minute));
        var close = Math.Exp(LogPriceAtMinute(symbolHash, symbol, minute + 1));
        // Intra-minute excursions beyond open/close, drawn from the hash so they are as deterministic as the path.
        var up = Math.Abs(StableHash.Normal(StableHash.Mix(_seed, symbolHash, (ulong)minute * 2 + 1))) * MinuteVolatility * 0.5;
        var down = Math.Abs(StableHash.Normal(StableHash.Mix(_seed, symbolHash, (ulong)minute * 2 + 2))) * MinuteVolatility * 0.5;
        var high = Math.Max(open, close) * Math.Exp(up);
        var low = Math.Min(open, close) * Math.Exp(-down);
        var volume = 1 + StableHash.Unit(StableHash.Mix(_seed, symbolHash, (ulong)minute * 2 + 3)) * 99;
        var start = Epoch.AddMinutes(minute);
        return new Candle(start, Round(open), Round(high), Round(low), Round(close), Math.Round((decimal)volume, 4));
    }

    /// <summary>The <paramref name="count"/> completed one-minute candles before <paramref name="now"/>, oldest first.</summary>
    /// <remarks>The list is read-only and shared by every caller in the same minute (the market is a pure function of time).</remarks>
    public IReadOnlyList<Candle> RecentCandles(string symbol, DateTimeOffset now, int count)
    {
        var currentMinute = Epoch.AddMinutes(Math.Floor((now - Epoch).TotalMinutes));
        if (_recent.TryGetValue((symbol, count), out var recent) && recent.Minute == currentMinute)
        {
            return recent.Candles;
        }
        var candles = new Candle[count];
        for (var i = 0; i < count; i++)
        {
            candles[i] = CandleAt(symbol, currentMinute.AddMinutes(i - count));
        }
        var history = new RecentHistory(currentMinute, Array.AsReadOnly(candles));
        // Keep the latest minute: a caller with an older clock gets its own list rather than evicting the current one.
        _recent.AddOrUpdate((symbol, count), history, (_, existing) => existing.Minute > currentMinute ? existing : history);
        return history.Candles;
    }

    private double LogPriceAtMinute(ulong symbolHash, string symbol, long minute)
    {
        var segment = Math.DivRem(minute, SegmentMinutes, out var offset);
        if (offset < 0)
        {
            segment--;
            offset += SegmentMinutes;
        }
        long lo = 0, hi = SegmentMinutes;
        var vLo = SegmentLevel(symbolHash, symbol, segment);
        var vHi = SegmentLevel(symbolHash, symbol, segment + 1);
        while (true)
        {
            if (offset == lo) return vLo;
            if (offset == hi) return vHi;
            var mid = (lo + hi) / 2;
            var sigma = MinuteVolatility * Math.Sqrt((hi - lo) / 4.0);
            var z = StableHash.Normal(StableHash.Mix(_seed ^ 0x5bd1e995UL, symbolHash, (ulong)(segment * SegmentMinutes + mid)));
            var vMid = (vLo + vHi) / 2 + sigma * z;
            if (offset < mid)
            {
                hi = mid;
                vHi = vMid;
            }
            else
            {
                lo = mid;
                vLo = vMid;
            }
        }
    }

    private double SegmentLevel(ulong symbolHash, string symbol, long segment)
    {
        // Levels wander around the base price with the volatility a walk of one segment would have, halved so the
        // market neither runs away nor sits still over months.
        var sigma = MinuteVolatility * Math.Sqrt(SegmentMinutes) * 0.5;
        return Math.Log(BasePrice(symbol)) + sigma * StableHash.Normal(StableHash.Mix(_seed, symbolHash, (ulong)segment));
    }

    /// <summary>A plausible starting price per symbol; unknown symbols get one from their hash (10–1000).</summary>
    public static double BasePrice(string symbol) => symbol switch
    {
        "BTCUSDT" => 60000,
        "ETHUSDT" => 3000,
        "SOLUSDT" => 150,
        "BNBUSDT" => 600,
        _ => 10 * Math.Pow(100, StableHash.Unit(StableHash.Of(symbol))),
    };

    private static decimal Round(double value) => MinutePrices.Round(value);

    private static decimal Round(decimal value) => Math.Round(value, PriceDecimals);
}
