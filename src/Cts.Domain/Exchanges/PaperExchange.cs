using Cts.Domain.Market;
using Cts.Domain.Trading;

namespace Cts.Domain.Exchanges;

/// <summary>
/// The embedded paper venue: quotes and candles from the seeded <see cref="PaperMarket"/> (or, in a backtest, any
/// <see cref="IMarketData"/>) at the clock's time, market
/// orders filled at once by the <see cref="PaperFillModel"/> against the connection's <see cref="IPaperLedger"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every symbol is quoted in <see cref="QuoteAsset"/> (USDT): the base asset is the symbol without that suffix
/// (BTCUSDT → BTC). An order on a symbol that does not end in USDT is rejected with "unsupported quote asset".
/// </para>
/// <para>
/// A buy fills at ask × (1 + slippage) for as much base as the quote amount pays for (rounded down to 8 decimals) and
/// costs notional + fee in quote; a sell fills at bid × (1 − slippage) and credits notional − fee. An order the
/// balance cannot cover is recorded as <see cref="OrderStatus.Rejected"/> ("insufficient balance"), so its client order
/// id stays taken and a retry gets the same rejection. The balance check is made by the ledger atomically with the
/// write (see <see cref="IPaperLedger.RecordAsync"/>), so concurrent orders cannot overspend.
/// </para>
/// </remarks>
public sealed class PaperExchange(IMarketData market, TimeProvider time, PaperFillModel fills, IPaperLedger ledger) : IExchange
{
    public const string VenueName = "paper";

    /// <summary>The quote asset of every paper symbol.</summary>
    public const string QuoteAsset = "USDT";

    public const string InsufficientBalance = "insufficient balance";
    public const string UnsupportedQuoteAsset = "unsupported quote asset";
    public const string OrderTooSmall = "order too small";

    private static readonly IReadOnlyDictionary<string, decimal> NoDeltas = new Dictionary<string, decimal>();

    public string Name => VenueName;

    public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Answers at once: the venue is in-process, there is no key to refuse and its clock is ours (skew 0). The symbols'
    /// rules are <see cref="PaperSymbolRules"/>; a symbol paper cannot trade (not quoted in USDT) makes the probe
    /// <c>Ok = false</c>, naming it.
    /// </summary>
    public Task<ExchangeProbe> ProbeAsync(IReadOnlyList<string> symbols, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(clock);
        var started = clock.GetTimestamp();
        var rules = symbols.Select(PaperSymbolRules.For).OfType<SymbolRules>().ToList();
        var untradable = symbols.Where(s => PaperSymbolRules.For(s) is null).ToList();
        var reason = untradable.Count == 0
            ? null
            : $"{UnsupportedQuoteAsset}: paper trades symbols quoted in {QuoteAsset} only, not {string.Join(", ", untradable)}";
        return Task.FromResult(new ExchangeProbe(untradable.Count == 0, clock.GetElapsedTime(started).TotalMilliseconds, 0, true, rules, reason));
    }

    public ValueTask<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken) =>
        new(market.QuoteAt(symbol, time.GetUtcNow()));

    public Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken) =>
        Task.FromResult(market.RecentCandles(symbol, time.GetUtcNow(), count));

    /// <summary>
    /// Fills (or rejects) a market order at the clock's time. Idempotent by client order id: when the ledger already
    /// holds the id, that order is returned as it is (whatever its symbol and side) and nothing trades. The ledger's
    /// write is what checks that (<see cref="IPaperLedger.RecordAsync"/> answers with the stored order), so an order
    /// costs no lookup before it: most orders are new, and at 10,000 engines a lookup each was 10,000 reads at once.
    /// </summary>
    public async Task<OrderResult> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        if (BaseAssetOf(request.Symbol) is not { } baseAsset)
        {
            return await RejectAsync(request, now, UnsupportedQuoteAsset, cancellationToken).ConfigureAwait(false);
        }

        var quote = market.QuoteAt(request.Symbol, now);
        Fill fill;
        decimal quoteDelta;
        decimal baseDelta;
        if (request.Side == OrderSide.Buy)
        {
            fill = fills.Buy(quote.Ask, request.QuoteAmount!.Value);
            if (fill.Quantity == 0m)
            {
                return await RejectAsync(request, now, OrderTooSmall, cancellationToken).ConfigureAwait(false);
            }
            quoteDelta = -(fill.Notional + fill.Fee);
            baseDelta = fill.Quantity;
        }
        else
        {
            fill = fills.Sell(quote.Bid, request.Quantity!.Value);
            quoteDelta = fill.Notional - fill.Fee;
            baseDelta = -fill.Quantity;
        }

        var filled = new OrderResult(request.ClientOrderId, request.Symbol, request.Side, OrderStatus.Filled,
            fill.Price, fill.Quantity, fill.Fee, now, null);
        try
        {
            return await ledger.RecordAsync(filled, quoteDelta, new Dictionary<string, decimal> { [baseAsset] = baseDelta },
                cancellationToken).ConfigureAwait(false);
        }
        catch (InsufficientBalanceException)
        {
            return await RejectAsync(request, now, InsufficientBalance, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The order placed with <paramref name="clientOrderId"/> on <paramref name="symbol"/>; null if the venue never saw it.</summary>
    public async Task<OrderResult?> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        ArgumentException.ThrowIfNullOrEmpty(clientOrderId);
        var order = await ledger.FindAsync(clientOrderId, cancellationToken).ConfigureAwait(false);
        return order is not null && string.Equals(order.Symbol, symbol, StringComparison.Ordinal) ? order : null;
    }

    /// <summary>
    /// Always false on paper: market orders fill (or are rejected) the moment they are placed, so there is never an
    /// open order to cancel.
    /// </summary>
    public Task<bool> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        ArgumentException.ThrowIfNullOrEmpty(clientOrderId);
        return Task.FromResult(false);
    }

    public async Task<Balance> GetBalanceAsync(string asset, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(asset);
        return new Balance(asset, await ledger.BalanceAsync(asset, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The base asset of a USDT symbol (BTCUSDT → BTC); null when the symbol is not quoted in USDT.</summary>
    public static string? BaseAssetOf(string symbol) =>
        symbol.Length > QuoteAsset.Length && symbol.EndsWith(QuoteAsset, StringComparison.Ordinal)
            ? symbol[..^QuoteAsset.Length]
            : null;

    private Task<OrderResult> RejectAsync(OrderRequest request, DateTimeOffset at, string reason, CancellationToken cancellationToken) =>
        ledger.RecordAsync(
            new OrderResult(request.ClientOrderId, request.Symbol, request.Side, OrderStatus.Rejected, 0m, 0m, 0m, at, reason),
            0m, NoDeltas, cancellationToken);
}
