namespace Cts.Domain.Trading;

/// <summary>
/// How the paper exchange executes market orders, and how an open position is valued: the taker side of the book
/// plus slippage, and a flat fee on the notional in quote currency. Deliberately a little pessimistic, so paper
/// results do not flatter a strategy.
/// </summary>
/// <param name="FeeRate">Fee as a fraction of notional (0.001 = 0.1 %, Binance spot's base taker rate).</param>
/// <param name="SlippageBps">Adverse price move per market order, in basis points of the touch price.</param>
public sealed record PaperFillModel(decimal FeeRate = 0.001m, decimal SlippageBps = 5m)
{
    /// <summary>Base quantities are rounded down to this many decimals, so a buy never spends more than asked.</summary>
    public const int QuantityDecimals = 8;

    /// <summary>A market buy fills at the ask, slipped up: ask × (1 + slippage).</summary>
    public decimal BuyPrice(decimal ask) => ask * (1 + SlippageBps / 10_000m);

    /// <summary>A market sell fills at the bid, slipped down: bid × (1 − slippage).</summary>
    public decimal SellPrice(decimal bid) => bid * (1 - SlippageBps / 10_000m);

    /// <summary>The fee on <paramref name="notional"/>, in quote currency (not rounded).</summary>
    public decimal Fee(decimal notional) => notional * FeeRate;

    /// <summary>How much base <paramref name="quoteAmount"/> buys at <paramref name="fillPrice"/>, rounded down to 8 decimals.</summary>
    public static decimal QuantityFor(decimal quoteAmount, decimal fillPrice)
    {
        if (fillPrice <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fillPrice), fillPrice, "must be greater than 0");
        }
        return Math.Round(quoteAmount / fillPrice, QuantityDecimals, MidpointRounding.ToZero);
    }

    /// <summary>
    /// Buys for <paramref name="quoteAmount"/> at <paramref name="ask"/>. The fee is on top of the notional (paid in
    /// quote), so the total outlay is notional + fee, slightly above the amount when quantity rounding leaves little.
    /// </summary>
    public Fill Buy(decimal ask, decimal quoteAmount)
    {
        Positive(ask, nameof(ask));
        Positive(quoteAmount, nameof(quoteAmount));
        var price = BuyPrice(ask);
        var quantity = QuantityFor(quoteAmount, price);
        return new Fill(price, quantity, Fee(quantity * price));
    }

    /// <summary>Sells <paramref name="quantity"/> at <paramref name="bid"/>.</summary>
    public Fill Sell(decimal bid, decimal quantity)
    {
        Positive(bid, nameof(bid));
        Positive(quantity, nameof(quantity));
        var price = SellPrice(bid);
        return new Fill(price, quantity, Fee(quantity * price));
    }

    private static void Positive(decimal value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "must be greater than 0");
        }
    }
}
