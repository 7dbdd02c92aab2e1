using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Cts.Domain.Exchanges;
using Cts.Domain.Exchanges.Binance;

namespace Cts.Functions.Exchanges.Binance;

/// <summary>
/// The symbols' trading rules from <c>GET /api/v3/exchangeInfo?symbol=</c> (rest-api.md "Exchange information",
/// filters.md), cached per node and read again once older than <see cref="BinanceOptions.SymbolRulesMaxAgeSeconds"/>.
/// One read per symbol serves every connection of the node; concurrent readers of a stale symbol share one request.
/// The REQUEST_WEIGHT limit it reports becomes the node's budget.
/// </summary>
public sealed class BinanceSymbolRules(BinanceHttp http, TimeProvider time, TimeSpan maxAge)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _entries = new(StringComparer.Ordinal);

    /// <summary>The rules of <paramref name="symbol"/>; an <see cref="ExchangeException"/> (Rejected) when Binance does not list it.</summary>
    public async Task<SymbolFilters> GetAsync(string symbol, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lazy = _entries.GetOrAdd(symbol, s => new Lazy<Task<Entry>>(() => FetchAsync(s)));
            Entry entry;
            try
            {
                entry = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                _entries.TryRemove(new KeyValuePair<string, Lazy<Task<Entry>>>(symbol, lazy));
                throw;
            }
            if (time.GetUtcNow() - entry.FetchedAt <= maxAge)
            {
                return entry.Filters;
            }
            _entries.TryRemove(new KeyValuePair<string, Lazy<Task<Entry>>>(symbol, lazy));
        }
    }

    private async Task<Entry> FetchAsync(string symbol)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        JsonElement info;
        try
        {
            info = await http.PublicAsync(BinanceEndpoint.ExchangeInfo, [new("symbol", symbol)], timeout.Token).ConfigureAwait(false);
        }
        catch (BinanceApiError e) when (e.Code == BinanceErrors.BadSymbol)
        {
            throw new ExchangeException(ExchangeFaultKind.Rejected, $"binance does not list the symbol {symbol} ({e.VenueMessage})", e);
        }
        catch (BinanceApiError e)
        {
            throw e.ToExchange();
        }
        if (info.TryGetProperty("rateLimits", out var limits))
        {
            foreach (var limit in limits.EnumerateArray())
            {
                if (limit.GetProperty("rateLimitType").GetString() == "REQUEST_WEIGHT" && limit.GetProperty("interval").GetString() == "MINUTE"
                    && limit.GetProperty("intervalNum").GetInt32() == 1)
                {
                    http.Budget.SetLimit(limit.GetProperty("limit").GetInt32());
                }
            }
        }
        var found = info.GetProperty("symbols").EnumerateArray().FirstOrDefault(s => s.GetProperty("symbol").GetString() == symbol);
        if (found.ValueKind != JsonValueKind.Object)
        {
            throw new ExchangeException(ExchangeFaultKind.Rejected, $"binance does not list the symbol {symbol}");
        }
        return new Entry(Parse(found), time.GetUtcNow());
    }

    /// <summary>One symbol of an exchangeInfo answer as <see cref="SymbolFilters"/>.</summary>
    public static SymbolFilters Parse(JsonElement symbol)
    {
        decimal tick = 0, step = 0, minQty = 0, maxQty = 0, marketStep = 0, marketMin = 0, marketMax = 0, minNotional = 0;
        var applyToMarket = false;
        foreach (var filter in symbol.GetProperty("filters").EnumerateArray())
        {
            switch (filter.GetProperty("filterType").GetString())
            {
                case "PRICE_FILTER":
                    tick = Dec(filter, "tickSize");
                    break;
                case "LOT_SIZE":
                    (step, minQty, maxQty) = (Dec(filter, "stepSize"), Dec(filter, "minQty"), Dec(filter, "maxQty"));
                    break;
                case "MARKET_LOT_SIZE":
                    (marketStep, marketMin, marketMax) = (Dec(filter, "stepSize"), Dec(filter, "minQty"), Dec(filter, "maxQty"));
                    break;
                case "NOTIONAL":
                    minNotional = Dec(filter, "minNotional");
                    applyToMarket = filter.TryGetProperty("applyMinToMarket", out var applyMin) && applyMin.GetBoolean();
                    break;
                case "MIN_NOTIONAL":
                    minNotional = Dec(filter, "minNotional");
                    applyToMarket = filter.TryGetProperty("applyToMarket", out var apply) && apply.GetBoolean();
                    break;
            }
        }
        var precision = symbol.TryGetProperty("quoteAssetPrecision", out var p) ? p.GetInt32() : 8;
        var status = symbol.GetProperty("status").GetString() ?? "";
        if (symbol.TryGetProperty("isSpotTradingAllowed", out var spot) && !spot.GetBoolean())
        {
            status = "NO_SPOT";
        }
        return new SymbolFilters(symbol.GetProperty("symbol").GetString()!, status,
            symbol.GetProperty("baseAsset").GetString()!, symbol.GetProperty("quoteAsset").GetString()!,
            tick, step, minQty, maxQty, marketStep, marketMin, marketMax, minNotional, applyToMarket, precision);
    }

    internal static decimal Dec(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String
                ? decimal.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                : value.GetDecimal()
            : 0m;

    private sealed record Entry(SymbolFilters Filters, DateTimeOffset FetchedAt);
}
