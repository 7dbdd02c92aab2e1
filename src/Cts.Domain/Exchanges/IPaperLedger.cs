namespace Cts.Domain.Exchanges;

/// <summary>
/// The paper venue's own books for one connection: the orders it has seen, by client order id, and the free balance
/// of each asset. The quote asset (<see cref="PaperExchange.QuoteAsset"/>) starts at a configured balance (10,000 by
/// default), every other asset at 0.
/// </summary>
/// <remarks>
/// Implementations must be safe to call concurrently, also from several processes sharing one store (two nodes
/// briefly running the same engine): an order is stored together with its balance changes or not at all, a client
/// order id is stored once, and no balance update is lost.
/// </remarks>
public interface IPaperLedger
{
    /// <summary>The order stored under <paramref name="clientOrderId"/>, or null if there is none.</summary>
    Task<OrderResult?> FindAsync(string clientOrderId, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically stores <paramref name="order"/> and adds <paramref name="quoteDelta"/> to the quote balance and each of
    /// <paramref name="baseDeltas"/> (asset → quantity) to that asset's balance.
    /// </summary>
    /// <returns>
    /// The stored order: <paramref name="order"/>, or, if an order with the same client order id is already stored
    /// (also when another caller stored it a moment ago), that one, with no balance changed.
    /// </returns>
    /// <exception cref="InsufficientBalanceException">
    /// A negative delta would take its balance below zero (and no order with this id exists); nothing was stored.
    /// Checking here, atomically with the write, is what keeps two different orders racing on one connection from
    /// spending the same balance twice.
    /// </exception>
    Task<OrderResult> RecordAsync(OrderResult order, decimal quoteDelta, IReadOnlyDictionary<string, decimal> baseDeltas,
        CancellationToken cancellationToken);

    /// <summary>The free balance of <paramref name="asset"/> (the starting balance for the quote asset before any trade, else 0).</summary>
    Task<decimal> BalanceAsync(string asset, CancellationToken cancellationToken);
}
