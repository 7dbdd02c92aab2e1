using Cts.Domain.Market;

namespace Cts.Domain.Exchanges;

/// <summary>
/// What an engine needs from a venue. One implementation per venue (paper, binance); every call that leaves
/// the process is wrapped by the host in the connection's resilience pipeline.
/// </summary>
public interface IExchange
{
    /// <summary>The venue's name as used in a connection's <c>exchange</c> field.</summary>
    string Name { get; }

    /// <summary>Checks that the venue answers and accepts the credentials. Throws <see cref="ExchangeException"/> when not.</summary>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Probes the venue for <c>POST /api/connections/{id}/test</c>: latency, clock skew, permissions and the rules of
    /// <paramref name="symbols"/>. A venue that refuses the credentials answers <c>Ok = false</c> with the reason; only a
    /// venue that cannot be reached throws <see cref="ExchangeException"/>. Venues with more to say (binance) override it.
    /// </summary>
    async Task<ExchangeProbe> ProbeAsync(IReadOnlyList<string> symbols, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await CheckAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ExchangeException e) when (e.Kind == ExchangeFaultKind.CredentialsRejected)
        {
            return new ExchangeProbe(false, time.GetElapsedTime(started).TotalMilliseconds, null, null, [], e.Message);
        }
        return new ExchangeProbe(true, time.GetElapsedTime(started).TotalMilliseconds, 0, true, [], null);
    }

    /// <summary>
    /// The current best bid and ask of <paramref name="symbol"/>. A value task: every running engine asks for its quotes
    /// every second, and a venue that has the quote at hand (paper, a fresh shared quote) answers without allocating.
    /// </summary>
    ValueTask<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken);

    /// <summary>
    /// The <paramref name="count"/> most recent completed one-minute candles, oldest first. The list is never changed
    /// after it is handed out (callers may share it, and what they compute from it).
    /// </summary>
    Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Places a market order. Idempotent by <see cref="OrderRequest.ClientOrderId"/>: placing the same client order id
    /// again (a retry after a timeout, or a second node acting on the same signal) returns the order already placed
    /// and never trades twice. A venue that refuses the order returns it with <see cref="OrderStatus.Rejected"/>
    /// and a reason; a call that fails throws <see cref="ExchangeException"/>, and is safe to retry with the same id.
    /// </summary>
    Task<OrderResult> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken);

    /// <summary>The order placed with <paramref name="clientOrderId"/> on <paramref name="symbol"/>; null when the venue never saw it.</summary>
    Task<OrderResult?> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels an open order. True if it was canceled by this call; false if there is nothing to cancel (the order is
    /// unknown, or already filled, rejected or canceled).
    /// </summary>
    Task<bool> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken);

    /// <summary>The free balance of <paramref name="asset"/> (e.g. USDT, BTC); 0 for an asset the account has never held.</summary>
    Task<Balance> GetBalanceAsync(string asset, CancellationToken cancellationToken);
}
