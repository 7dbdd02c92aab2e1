using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Cts.Domain.Market;

namespace Cts.Functions.Exchanges.Binance;

/// <summary>
/// Candles (<c>GET /api/v3/klines</c>, interval 1m) and quotes (<c>GET /api/v3/ticker/bookTicker</c>) shared by every
/// engine of the node: one poll per symbol per interval. Closed one-minute candles only change when the next minute
/// closes, so one answer serves every engine on the symbol until then; a book ticker serves for
/// <see cref="BinanceOptions.QuoteMaxAgeMs"/>. Callers that arrive while a poll is in flight share it, so a thousand
/// engines on BTCUSDT cost one request, not a thousand.
/// </summary>
public sealed class BinanceMarketData(BinanceHttp http, TimeProvider time, TimeSpan quoteMaxAge)
{
    /// <summary>How many closed candles one poll asks for: enough for every strategy's warm-up (the processors ask for at most 500).</summary>
    public const int CandlesPerPoll = 500;

    private readonly ConcurrentDictionary<string, Shared<CandleSet>> _candles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Shared<Quote>> _quotes = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken)
    {
        var shared = _candles.GetOrAdd(symbol, _ => new Shared<CandleSet>());
        var set = await shared.GetAsync(s => time.GetUtcNow() < s.ValidUntil && s.Candles.Count >= Math.Min(count, s.Available),
            () => FetchCandlesAsync(symbol, Math.Max(count, CandlesPerPoll)), cancellationToken).ConfigureAwait(false);
        return set.Candles.Count <= count ? set.Candles : set.Candles.Skip(set.Candles.Count - count).ToList();
    }

    public ValueTask<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken) =>
        new(_quotes.GetOrAdd(symbol, _ => new Shared<Quote>())
            .GetAsync(q => time.GetUtcNow() - q.At < quoteMaxAge, () => FetchQuoteAsync(symbol), cancellationToken));

    private async Task<CandleSet> FetchCandlesAsync(string symbol, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var limit = Math.Min(count + 1, 1000);
        var rows = await Call(() => http.PublicAsync(BinanceEndpoint.Klines,
            [new("symbol", symbol), new("interval", "1m"), new("limit", limit.ToString(CultureInfo.InvariantCulture))], timeout.Token))
            .ConfigureAwait(false);
        var serverNow = http.Clock.NowMs();
        var closed = new List<Candle>(limit);
        long? openCloseTime = null;
        long lastCloseTime = 0;
        foreach (var row in rows.EnumerateArray())
        {
            var closeTime = row[6].GetInt64();
            if (closeTime >= serverNow)
            {
                openCloseTime = closeTime; // the candle still forming
                continue;
            }
            lastCloseTime = closeTime;
            closed.Add(new Candle(DateTimeOffset.FromUnixTimeMilliseconds(row[0].GetInt64()),
                Dec(row[1]), Dec(row[2]), Dec(row[3]), Dec(row[4]), Dec(row[5])));
        }
        // Valid until the forming candle closes (then a new closed one exists).
        var nextClose = openCloseTime ?? (lastCloseTime > 0 ? lastCloseTime + 60_000 : serverNow + 1_000);
        var validUntil = http.Clock.ToLocal(nextClose + 1);
        return new CandleSet(closed.Count > count ? closed.Skip(closed.Count - count).ToList() : closed, validUntil, closed.Count);
    }

    private async Task<Quote> FetchQuoteAsync(string symbol)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ticker = await Call(() => http.PublicAsync(BinanceEndpoint.BookTicker, [new("symbol", symbol)], timeout.Token)).ConfigureAwait(false);
        var bid = Dec(ticker.GetProperty("bidPrice"));
        var ask = Dec(ticker.GetProperty("askPrice"));
        return new Quote(symbol, bid, ask, (bid + ask) / 2, time.GetUtcNow());
    }

    private static async Task<JsonElement> Call(Func<Task<JsonElement>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (BinanceApiError e)
        {
            throw e.ToExchange();
        }
    }

    private static decimal Dec(JsonElement value) =>
        decimal.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);

    private sealed record CandleSet(IReadOnlyList<Candle> Candles, DateTimeOffset ValidUntil, int Available);

    /// <summary>
    /// A value shared by every caller: served while fresh, fetched by the first caller that finds it stale while the
    /// others wait on the same fetch. The fetch runs on its own timeout, so one caller giving up does not fail the rest.
    /// </summary>
    private sealed class Shared<T>
    {
        private readonly object _gate = new();
        private bool _hasValue;
        private T _value = default!;
        private Task<T>? _inFlight;

        public Task<T> GetAsync(Func<T, bool> fresh, Func<Task<T>> fetch, CancellationToken cancellationToken)
        {
            Task<T> task;
            lock (_gate)
            {
                if (_hasValue && fresh(_value))
                {
                    return Task.FromResult(_value);
                }
                task = _inFlight ??= Run(fetch);
            }
            return task.WaitAsync(cancellationToken);
        }

        private async Task<T> Run(Func<Task<T>> fetch)
        {
            try
            {
                var value = await Task.Run(fetch).ConfigureAwait(false);
                lock (_gate)
                {
                    (_value, _hasValue) = (value, true);
                }
                return value;
            }
            finally
            {
                lock (_gate)
                {
                    _inFlight = null;
                }
            }
        }
    }
}
