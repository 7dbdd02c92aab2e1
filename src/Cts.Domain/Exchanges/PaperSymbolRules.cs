using Cts.Domain.Market;
using Cts.Domain.Trading;

namespace Cts.Domain.Exchanges;

/// <summary>
/// The trading rules of every paper symbol, as data: what the paper venue actually enforces, so a client that
/// rounds to them is never surprised. Prices are quoted to <see cref="PaperMarket.PriceDecimals"/> decimals; a buy's base
/// quantity is rounded down to <see cref="PaperFillModel.QuantityDecimals"/> decimals, and an order whose quantity
/// rounds to zero is rejected ("order too small"), so the least quantity is one step. The paper venue has no minimum
/// notional beyond that. Only symbols quoted in <see cref="PaperExchange.QuoteAsset"/> trade.
/// </summary>
public static class PaperSymbolRules
{
    /// <summary>The price tick: one unit of the last decimal the paper market quotes.</summary>
    public static readonly decimal TickSize = Step(PaperMarket.PriceDecimals);

    /// <summary>The quantity step: one unit of the last decimal a paper fill keeps.</summary>
    public static readonly decimal StepSize = Step(PaperFillModel.QuantityDecimals);

    /// <summary>The least quantity of an order: one step (a quantity that rounds to zero is "order too small").</summary>
    public static readonly decimal MinQty = StepSize;

    /// <summary>No minimum notional on paper beyond the least quantity.</summary>
    public const decimal MinNotional = 0m;

    /// <summary>The rules of <paramref name="symbol"/>; null when paper cannot trade it (not quoted in USDT).</summary>
    public static SymbolRules? For(string symbol) =>
        PaperExchange.BaseAssetOf(symbol) is null ? null : new SymbolRules(symbol, TickSize, StepSize, MinQty, MinNotional);

    private static decimal Step(int decimals)
    {
        var step = 1m;
        for (var i = 0; i < decimals; i++)
        {
            step /= 10m;
        }
        return step;
    }
}
