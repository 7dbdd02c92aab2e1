namespace Cts.Domain.Trading;

/// <summary>
/// An entry that was not made because its intent could not be queued for storage in time
/// (<see cref="JournalBusyException"/>): nothing was written and nothing was sent. A strategy's signal is passed over,
/// not retried (a missed entry costs an opportunity, never money); an operator's request may be retried with the same
/// key. Not a cycle failure and not a storage outage.
/// </summary>
public sealed class EntrySkippedException(string symbol, string clientOrderId, string reason, Exception inner)
    : Exception($"entry {clientOrderId} on {symbol} skipped: {reason}; nothing was sent", inner)
{
    public string Symbol { get; } = symbol;
    public string ClientOrderId { get; } = clientOrderId;
}
