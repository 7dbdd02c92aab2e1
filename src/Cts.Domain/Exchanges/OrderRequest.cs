using Cts.Domain.Trading;

namespace Cts.Domain.Exchanges;

/// <summary>
/// A market order. A buy says how much quote to spend (<paramref name="QuoteAmount"/>), a sell how much base to sell
/// (<paramref name="Quantity"/>); exactly that one amount is set, and it is greater than 0.
/// </summary>
/// <param name="ClientOrderId">
/// The caller's id of the order (see <see cref="Trading.ClientOrderId"/>). Placing an order is idempotent by it: the
/// same id again returns the order already placed and never trades twice.
/// </param>
/// <remarks>
/// Validated on construction (<see cref="ArgumentException"/>). The properties have no <c>init</c> accessor, so a
/// <c>with</c> expression cannot produce an invalid request.
/// </remarks>
public sealed record OrderRequest(string ClientOrderId, string Symbol, OrderSide Side, decimal? QuoteAmount, decimal? Quantity)
{
    // Initializers run in declaration order: the first one validates the whole request.
    public string ClientOrderId { get; } = Validated(ClientOrderId, Symbol, Side, QuoteAmount, Quantity);
    public string Symbol { get; } = Symbol;
    public OrderSide Side { get; } = Side;
    public decimal? QuoteAmount { get; } = QuoteAmount;
    public decimal? Quantity { get; } = Quantity;

    /// <summary>A market buy spending <paramref name="quoteAmount"/> of quote currency (fee on top).</summary>
    public static OrderRequest Buy(string clientOrderId, string symbol, decimal quoteAmount) =>
        new(clientOrderId, symbol, OrderSide.Buy, quoteAmount, null);

    /// <summary>A market sell of <paramref name="quantity"/> base.</summary>
    public static OrderRequest Sell(string clientOrderId, string symbol, decimal quantity) =>
        new(clientOrderId, symbol, OrderSide.Sell, null, quantity);

    private static string Validated(string clientOrderId, string symbol, OrderSide side, decimal? quoteAmount, decimal? quantity)
    {
        if (string.IsNullOrWhiteSpace(clientOrderId))
        {
            throw new ArgumentException("is required", nameof(ClientOrderId));
        }
        if (string.IsNullOrWhiteSpace(symbol))
        {
            throw new ArgumentException("is required", nameof(Symbol));
        }
        switch (side)
        {
            case OrderSide.Buy:
                if (quantity is not null)
                {
                    throw new ArgumentException("a buy is sized by quote amount; quantity must not be set", nameof(Quantity));
                }
                if (quoteAmount is not { } amount || amount <= 0)
                {
                    throw new ArgumentException("a buy needs a quote amount greater than 0", nameof(QuoteAmount));
                }
                break;
            case OrderSide.Sell:
                if (quoteAmount is not null)
                {
                    throw new ArgumentException("a sell is sized by quantity; quote amount must not be set", nameof(QuoteAmount));
                }
                if (quantity is not { } q || q <= 0)
                {
                    throw new ArgumentException("a sell needs a quantity greater than 0", nameof(Quantity));
                }
                break;
            default:
                throw new ArgumentException($"unknown side {side}", nameof(Side));
        }
        return clientOrderId;
    }
}
