namespace Cts.Domain.Trading;

/// <summary>
/// An order the venue adapter refused to send (below a symbol's least notional or quantity, or more than the free
/// balance of an entry). The intent is already recorded as rejected, so the signal is not acted on again; the cycle
/// that raised it counts as failed, so the reason shows in the processor's <c>lastError</c>, and the engine writes it
/// to the audit trail.
/// </summary>
public sealed class OrderNotSentException(string clientOrderId, string symbol, string reason)
    : Exception($"order {clientOrderId} on {symbol} {reason}")
{
    public string ClientOrderId { get; } = clientOrderId;
    public string Symbol { get; } = symbol;
    public string Reason { get; } = reason;
}
