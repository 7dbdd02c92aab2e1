using Cts.Domain.Trading;

namespace Cts.Domain.Exchanges;

/// <summary>
/// An order as the venue knows it. For a filled market order: the average fill <paramref name="Price"/> (slippage
/// included), the base <paramref name="Quantity"/> executed and the <paramref name="Fee"/> in quote currency. A rejected
/// order has zero price, quantity and fee, and says why in <paramref name="RejectReason"/>.
/// </summary>
/// <param name="At">When the venue accepted (or refused) the order.</param>
public sealed record OrderResult(
    string ClientOrderId,
    string Symbol,
    OrderSide Side,
    OrderStatus Status,
    decimal Price,
    decimal Quantity,
    decimal Fee,
    DateTimeOffset At,
    string? RejectReason)
{
    /// <summary>
    /// False when the adapter refused the order itself, before sending it (a symbol filter such as the least notional,
    /// or a balance too low for an entry): it is <see cref="OrderStatus.Rejected"/> and the venue never saw it.
    /// </summary>
    public bool Sent { get; init; } = true;

    /// <summary>Quantity × price, before fees.</summary>
    public decimal Notional => Quantity * Price;

    /// <summary>The order as a <see cref="Fill"/>, for opening or closing a position; null unless it filled.</summary>
    public Fill? ToFill() => Status == OrderStatus.Filled ? new Fill(Price, Quantity, Fee) : null;
}
