namespace Cts.Domain.Exchanges;

/// <summary>
/// Thrown by <see cref="IPaperLedger.RecordAsync"/> when applying an order's balance changes would take a balance
/// below zero. Nothing was stored: the venue records the order as rejected instead.
/// </summary>
public sealed class InsufficientBalanceException(string asset, decimal free, decimal delta)
    : Exception($"insufficient {asset} balance: {free} free, order needs {-delta}")
{
    public string Asset { get; } = asset;

    /// <summary>The balance when the order was checked.</summary>
    public decimal Free { get; } = free;

    /// <summary>The (negative) change the order would have made.</summary>
    public decimal Delta { get; } = delta;
}
