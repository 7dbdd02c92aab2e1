namespace Cts.Domain.Trading;

/// <summary>Why an order is sent: to open a position, or to close one.</summary>
public enum OrderPurpose
{
    Open,
    Close,
}

/// <summary>Where an intent stands: written and maybe sent (<see cref="Pending"/>), or settled with the venue's answer.</summary>
public enum IntentStatus
{
    Pending,
    Filled,
    Rejected,
}

/// <summary>
/// An order the engine means to send, written to the journal BEFORE it is sent. Its deterministic client order id
/// lets recovery ask the venue what became of it, so a crash between send and record never duplicates an order.
/// </summary>
/// <param name="PositionId">For a close: the position it closes. For an open: the position it will open (same as the client order id).</param>
/// <param name="SignalTime">For an open: the candle time of the signal, so the same signal is never acted on twice.</param>
public sealed record OrderIntent(
    string ClientOrderId,
    string Symbol,
    OrderSide Side,
    OrderPurpose Purpose,
    decimal? QuoteAmount,
    decimal? Quantity,
    string PositionId,
    ExitReason? ExitReason,
    DateTimeOffset? SignalTime,
    DateTimeOffset CreatedAt,
    IntentStatus Status = IntentStatus.Pending,
    string? RejectReason = null)
{
    public static OrderIntent Open(string connectionId, string symbol, DateTimeOffset signalTime, decimal quoteAmount, DateTimeOffset now)
    {
        var id = Trading.ClientOrderId.For(connectionId, symbol, signalTime, OrderSide.Buy);
        return new(id, symbol, OrderSide.Buy, OrderPurpose.Open, quoteAmount, null, id, null, signalTime, now);
    }

    /// <summary>An entry an operator forced: sized by the request, keyed by it (see <see cref="Trading.ClientOrderId.ForOperatorEntry"/>), no signal.</summary>
    public static OrderIntent OperatorOpen(string connectionId, string symbol, string requestKey, decimal quoteAmount, DateTimeOffset now)
    {
        var id = Trading.ClientOrderId.ForOperatorEntry(connectionId, symbol, requestKey);
        return new(id, symbol, OrderSide.Buy, OrderPurpose.Open, quoteAmount, null, id, null, null, now);
    }

    public static OrderIntent Close(Position position, ExitReason reason, DateTimeOffset now) =>
        new(Trading.ClientOrderId.ForExit(position.ClientOrderId), position.Symbol, OrderSide.Sell, OrderPurpose.Close, null,
            position.Quantity, position.Id, reason, null, now);
}
