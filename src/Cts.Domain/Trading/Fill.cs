namespace Cts.Domain.Trading;

/// <summary>One executed order: price per unit, base quantity and fee in quote currency.</summary>
public sealed record Fill(decimal Price, decimal Quantity, decimal Fee)
{
    /// <summary>Quantity × price, before fees.</summary>
    public decimal Notional => Quantity * Price;
}
