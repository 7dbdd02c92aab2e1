namespace Cts.Domain.Trading;

/// <summary>Which way an order trades the base asset. Long-only spot: Buy opens a position, Sell closes it.</summary>
public enum OrderSide
{
    Buy,
    Sell,
}
