using Cts.Domain.Exchanges;
using Cts.Domain.Market;

namespace Cts.Functions.Exchanges.Binance;

/// <summary>
/// The Binance spot venue of one connection: its credentials on the node's shared <see cref="BinanceVenue"/> (HTTP,
/// clock, weight budget, symbol rules, market data). Wrapped, like every venue, in the connection's resilience pipeline.
/// </summary>
public sealed class BinanceExchange : IExchange
{
    public const string VenueName = "binance";

    private readonly BinanceVenue _venue;
    private readonly IReadOnlyList<string> _symbols;
    private readonly TimeProvider _time;
    private readonly BinanceAccount _account;
    private readonly BinanceOrders _orders;

    public BinanceExchange(BinanceVenue venue, IReadOnlyList<string> symbols, BinanceCredentials credentials, TimeProvider time)
    {
        _venue = venue;
        _symbols = symbols;
        _time = time;
        _account = new BinanceAccount(venue.Http, credentials);
        _orders = new BinanceOrders(venue.Http, credentials, venue.Rules, venue.MarketData, _account, time);
    }

    public string Name => VenueName;

    /// <summary>
    /// At start: measures the server-time offset, checks that the key may trade spot (a key that may not is refused
    /// credentials: no retry can help) and that every symbol of the connection is listed and trading.
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await _venue.Http.Clock.SyncAsync(cancellationToken).ConfigureAwait(false);
        var account = await _account.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!account.CanTrade || !account.SpotAllowed)
        {
            throw new ExchangeException(ExchangeFaultKind.CredentialsRejected,
                $"binance: the API key's account may not trade spot (canTrade {account.CanTrade}, spot {account.SpotAllowed})");
        }
        foreach (var symbol in _symbols)
        {
            var filters = await _venue.Rules.GetAsync(symbol, cancellationToken).ConfigureAwait(false);
            if (!filters.IsTrading)
            {
                throw new ExchangeException(ExchangeFaultKind.Rejected, $"binance symbol {symbol} is not trading (status {filters.Status})");
            }
        }
    }

    /// <summary>
    /// For <c>POST /api/connections/{id}/test</c>: the ping's round trip, the clock skew (server minus ours), whether the
    /// account may trade spot, and each symbol's rules. A refused key is <c>Ok = false</c> with the venue's reason; so is
    /// an account that may not trade, or a symbol Binance does not list.
    /// </summary>
    public async Task<ExchangeProbe> ProbeAsync(IReadOnlyList<string> symbols, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await _venue.Http.PublicAsync(BinanceEndpoint.Ping, [], cancellationToken).ConfigureAwait(false);
        }
        catch (BinanceApiError e)
        {
            throw e.ToExchange();
        }
        var latency = time.GetElapsedTime(started).TotalMilliseconds;
        var skew = await _venue.Http.Clock.SyncAsync(cancellationToken).ConfigureAwait(false);
        BinanceAccountInfo account;
        try
        {
            account = await _account.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ExchangeException e) when (e.Kind == ExchangeFaultKind.CredentialsRejected)
        {
            return new ExchangeProbe(false, latency, skew, null, [], e.Message);
        }
        var rules = new List<SymbolRules>();
        var problems = new List<string>();
        foreach (var symbol in symbols)
        {
            try
            {
                var filters = await _venue.Rules.GetAsync(symbol, cancellationToken).ConfigureAwait(false);
                rules.Add(filters.ToRules());
                if (!filters.IsTrading)
                {
                    problems.Add($"{symbol} is not trading (status {filters.Status})");
                }
            }
            catch (ExchangeException e) when (e.Kind == ExchangeFaultKind.Rejected)
            {
                problems.Add(e.Message);
            }
        }
        var canTrade = account.CanTrade && account.SpotAllowed;
        if (!canTrade)
        {
            problems.Insert(0, $"the account may not trade spot (canTrade {account.CanTrade}, spot {account.SpotAllowed})");
        }
        return new ExchangeProbe(problems.Count == 0, latency, skew, canTrade, rules, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    public ValueTask<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken) =>
        _venue.MarketData.GetQuoteAsync(symbol, cancellationToken);

    public Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken) =>
        _venue.MarketData.GetCandlesAsync(symbol, count, cancellationToken);

    public Task<OrderResult> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken) =>
        _orders.PlaceAsync(request, cancellationToken);

    public Task<OrderResult?> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) =>
        _orders.GetAsync(symbol, clientOrderId, cancellationToken);

    public Task<bool> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) =>
        _orders.CancelAsync(symbol, clientOrderId, cancellationToken);

    public async Task<Balance> GetBalanceAsync(string asset, CancellationToken cancellationToken)
    {
        var account = await _account.GetAsync(cancellationToken).ConfigureAwait(false);
        return new Balance(asset, account.FreeOf(asset));
    }
}
