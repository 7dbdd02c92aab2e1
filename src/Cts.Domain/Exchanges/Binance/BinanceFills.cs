using Cts.Domain.Trading;

namespace Cts.Domain.Exchanges.Binance;

/// <summary>One trade of an order, as <c>fills</c> of a FULL order response or <c>GET /api/v3/myTrades</c> report it.</summary>
public sealed record BinanceTrade(decimal Price, decimal Quantity, decimal Commission, string CommissionAsset);

/// <summary>
/// Turns what Binance executed into the <see cref="Fill"/> a position records (rest-api.md "New order", response FULL;
/// "Account trade list"): the average price (cummulativeQuoteQty ÷ executedQty), and for a buy the quantity actually
/// held — the executed quantity less any commission charged in the base asset, rounded down to the step size so the
/// position can be sold in full; the rest is dust. Commissions are expressed in quote at the average price (dust too,
/// as it cannot be sold), so the position's cost stays what the account paid.
/// </summary>
public static class BinanceFills
{
    public static Fill Summarize(OrderSide side, decimal executedQty, decimal cumulativeQuoteQty, IReadOnlyList<BinanceTrade> trades,
        string baseAsset, string quoteAsset, decimal stepSize)
    {
        ArgumentNullException.ThrowIfNull(trades);
        if (executedQty <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(executedQty), executedQty, "nothing was executed");
        }
        var averagePrice = cumulativeQuoteQty > 0
            ? cumulativeQuoteQty / executedQty
            : trades.Sum(t => t.Price * t.Quantity) / executedQty;
        var baseCommission = trades.Where(t => t.CommissionAsset == baseAsset).Sum(t => t.Commission);
        var quoteCommission = trades.Where(t => t.CommissionAsset == quoteAsset).Sum(t => t.Commission);
        var fee = quoteCommission + baseCommission * averagePrice;
        if (side == OrderSide.Sell)
        {
            return new Fill(averagePrice, executedQty, fee);
        }
        var received = executedQty - baseCommission;
        var held = SymbolFilters.RoundDown(received, stepSize);
        var dust = received - held;
        return new Fill(averagePrice, held, fee + dust * averagePrice);
    }

    /// <summary>Binance's order status (enums.md, "Order status") as the engine knows it.</summary>
    public static OrderStatus StatusOf(string status, decimal executedQty) => status switch
    {
        "FILLED" => OrderStatus.Filled,
        "NEW" or "PARTIALLY_FILLED" or "PENDING_NEW" or "PENDING_CANCEL" => OrderStatus.New,
        // A MARKET order that ran out of liquidity expires with what it executed: that part is a fill.
        "EXPIRED" or "EXPIRED_IN_MATCH" or "CANCELED" when executedQty > 0 => OrderStatus.Filled,
        "CANCELED" => OrderStatus.Canceled,
        _ => OrderStatus.Rejected,
    };
}
