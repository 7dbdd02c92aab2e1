using Cts.Domain.Exchanges.Binance;

namespace Cts.Domain.Tests.Exchanges.Binance;

/// <summary>The filters.md rules: LOT_SIZE / MARKET_LOT_SIZE step and minimum, PRICE_FILTER tick, NOTIONAL minimum.</summary>
public sealed class SymbolFiltersTests
{
    private static readonly SymbolFilters Btc = new("BTCUSDT", "TRADING", "BTC", "USDT", TickSize: 0.01m, StepSize: 0.00001m,
        MinQty: 0.00001m, MaxQty: 9000m, MarketStepSize: 0m, MarketMinQty: 0m, MarketMaxQty: 100m, MinNotional: 5m,
        ApplyMinNotionalToMarket: true, QuotePrecision: 8);

    [Theory]
    [InlineData("0.0123456789", "0.01234")]
    [InlineData("0.00001999", "0.00001")]
    [InlineData("0.000009", "0")]
    [InlineData("1.5", "1.5")]
    public void Quantities_round_down_to_the_step(string quantity, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Btc.RoundQuantity(decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_market_lot_size_step_wins_over_the_lot_size_step_and_the_larger_minimum_binds()
    {
        var filters = Btc with { MarketStepSize = 0.001m, MarketMinQty = 0.002m };

        Assert.Equal(0.012m, filters.RoundQuantity(0.0129m));
        Assert.Equal(0.002m, filters.EffectiveMinQty);
        Assert.Equal(new Cts.Domain.Exchanges.SymbolRules("BTCUSDT", 0.01m, 0.001m, 0.002m, 5m), filters.ToRules());
    }

    [Fact]
    public void Prices_round_down_to_the_tick_and_a_zero_tick_disables_the_rule()
    {
        Assert.Equal(50123.45m, Btc.RoundPrice(50123.4599m));
        Assert.Equal(50123.4599m, (Btc with { TickSize = 0m }).RoundPrice(50123.4599m));
    }

    [Fact]
    public void A_buy_below_the_minimum_notional_is_refused_with_the_reason()
    {
        var reason = Btc.RefuseBuy(4.99m, 50_000m);

        Assert.Equal("quote amount 4.99 is below the minimum notional 5 of BTCUSDT", reason);
        Assert.Null(Btc.RefuseBuy(5m, 50_000m));
        Assert.Null((Btc with { ApplyMinNotionalToMarket = false }).RefuseBuy(4.99m, 50_000m));
    }

    [Fact]
    public void A_buy_too_small_for_one_step_is_refused()
    {
        var filters = Btc with { MinNotional = 0m };

        Assert.Contains("below the minimum quantity", filters.RefuseBuy(0.4m, 50_000m));
    }

    [Fact]
    public void A_sell_below_the_minimum_quantity_or_notional_or_above_the_market_maximum_is_refused()
    {
        Assert.Contains("below the minimum quantity", Btc.RefuseSell(0m, 50_000m));
        Assert.Contains("below the minimum notional", Btc.RefuseSell(0.00009m, 50_000m));
        Assert.Contains("above the maximum quantity 100", Btc.RefuseSell(101m, 50_000m));
        Assert.Null(Btc.RefuseSell(0.001m, 50_000m));
    }
}
