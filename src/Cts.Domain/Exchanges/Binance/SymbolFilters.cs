using System.Globalization;

namespace Cts.Domain.Exchanges.Binance;

/// <summary>
/// The trading rules of one Binance symbol, from <c>GET /api/v3/exchangeInfo</c> (filters.md): PRICE_FILTER tickSize,
/// LOT_SIZE and MARKET_LOT_SIZE stepSize/minQty/maxQty, and NOTIONAL / MIN_NOTIONAL minNotional. A zero value
/// disables its rule, as the documentation says of PRICE_FILTER.
/// </summary>
/// <param name="ApplyMinNotionalToMarket">NOTIONAL.applyMinToMarket (or MIN_NOTIONAL.applyToMarket): whether the least notional binds MARKET orders.</param>
/// <param name="QuotePrecision">quoteAssetPrecision: decimals a <c>quoteOrderQty</c> may have.</param>
public sealed record SymbolFilters(
    string Symbol,
    string Status,
    string BaseAsset,
    string QuoteAsset,
    decimal TickSize,
    decimal StepSize,
    decimal MinQty,
    decimal MaxQty,
    decimal MarketStepSize,
    decimal MarketMinQty,
    decimal MarketMaxQty,
    decimal MinNotional,
    bool ApplyMinNotionalToMarket,
    int QuotePrecision)
{
    public bool IsTrading => Status == "TRADING";

    /// <summary>The step a MARKET order's quantity must follow: MARKET_LOT_SIZE's when set, else LOT_SIZE's.</summary>
    public decimal EffectiveStep => MarketStepSize > 0 ? MarketStepSize : StepSize;

    /// <summary>The least quantity of a MARKET order: the larger of LOT_SIZE and MARKET_LOT_SIZE minQty.</summary>
    public decimal EffectiveMinQty => Math.Max(MinQty, MarketMinQty);

    /// <summary><paramref name="quantity"/> rounded down to the market step (never up: an order never exceeds what is held).</summary>
    public decimal RoundQuantity(decimal quantity) => RoundDown(quantity, EffectiveStep);

    /// <summary><paramref name="price"/> rounded down to the tick size.</summary>
    public decimal RoundPrice(decimal price) => RoundDown(price, TickSize);

    /// <summary>A quote amount rounded down to the quote asset's precision.</summary>
    public decimal RoundQuote(decimal quoteAmount) =>
        Math.Round(quoteAmount, Math.Clamp(QuotePrecision, 0, 18), MidpointRounding.ToZero);

    /// <summary>
    /// Why a MARKET buy spending <paramref name="quoteAmount"/> at about <paramref name="price"/> would be refused, or
    /// null when it passes: the notional must reach minNotional (when it applies to MARKET orders), and the quantity it
    /// buys must reach the least quantity.
    /// </summary>
    public string? RefuseBuy(decimal quoteAmount, decimal price)
    {
        if (ApplyMinNotionalToMarket && MinNotional > 0 && quoteAmount < MinNotional)
        {
            return Text($"quote amount {quoteAmount} is below the minimum notional {MinNotional} of {Symbol}");
        }
        if (price > 0 && RoundQuantity(quoteAmount / price) is var quantity && quantity < EffectiveMinQty)
        {
            return Text($"quantity {quantity} bought for {quoteAmount} is below the minimum quantity {EffectiveMinQty} of {Symbol}");
        }
        return null;
    }

    /// <summary>Why a MARKET sell of <paramref name="quantity"/> (already rounded) at about <paramref name="price"/> would be refused, or null.</summary>
    public string? RefuseSell(decimal quantity, decimal price)
    {
        if (quantity <= 0 || quantity < EffectiveMinQty)
        {
            return Text($"quantity {quantity} is below the minimum quantity {EffectiveMinQty} of {Symbol}");
        }
        var max = MarketMaxQty > 0 ? MarketMaxQty : MaxQty;
        if (max > 0 && quantity > max)
        {
            return Text($"quantity {quantity} is above the maximum quantity {max} of {Symbol}");
        }
        if (ApplyMinNotionalToMarket && MinNotional > 0 && price > 0 && quantity * price < MinNotional)
        {
            return Text($"notional {quantity * price:0.########} is below the minimum notional {MinNotional} of {Symbol}");
        }
        return null;
    }

    /// <summary>The rules as <c>POST /api/connections/{id}/test</c> reports them.</summary>
    public SymbolRules ToRules() => new(Symbol, TickSize, EffectiveStep, EffectiveMinQty, MinNotional);

    /// <summary><paramref name="value"/> rounded down to a multiple of <paramref name="step"/> (unchanged when the step is 0).</summary>
    public static decimal RoundDown(decimal value, decimal step)
    {
        if (step <= 0)
        {
            return value;
        }
        return Math.Floor(value / step) * step;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
