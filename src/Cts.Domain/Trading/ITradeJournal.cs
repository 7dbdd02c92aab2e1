using Cts.Domain.Exchanges;

namespace Cts.Domain.Trading;

/// <summary>
/// An engine's durable record of its trading: order intents, positions, and the realized PnL total. The host
/// implements it on storage (one partition per connection); every method that returns has persisted its change.
/// </summary>
public interface ITradeJournal
{
    /// <summary>Open positions, pending intents, every signal already acted on, and the realized PnL total.</summary>
    Task<TradingSnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Records an intent before its order is sent. Fails if an intent with that client order id exists.</summary>
    Task SaveIntentAsync(OrderIntent intent, CancellationToken cancellationToken);

    /// <summary>
    /// Settles an intent with the venue's answer and, in the same atomic write, the position it opened or closed
    /// (and, for a close, the new realized PnL total).
    /// </summary>
    Task CompleteAsync(OrderIntent settled, Position? position, decimal realizedPnlTotal, CancellationToken cancellationToken);

    /// <summary>Persists positions' marks (their highest price, for the trailing stop); batched, not per cycle.</summary>
    Task SaveMarksAsync(IReadOnlyCollection<Position> positions, CancellationToken cancellationToken);
}

/// <summary>What an engine's journal holds when it loads.</summary>
public sealed record TradingSnapshot(
    IReadOnlyList<Position> OpenPositions,
    IReadOnlyList<OrderIntent> PendingIntents,
    IReadOnlySet<string> KnownClientOrderIds,
    decimal RealizedPnl);
