using Cts.Domain.Exchanges;
using Cts.Domain.Exchanges.Binance;
using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Exchanges.Binance;

public sealed class BinanceFillsTests
{
    [Fact]
    public void A_buy_charged_in_the_base_asset_holds_the_executed_quantity_less_commission_rounded_down_to_the_step()
    {
        // Two fills: 0.001 at 50000 and 0.001 at 50010; 0.1 % commission in BTC on each.
        IReadOnlyList<BinanceTrade> trades = [new(50_000m, 0.001m, 0.000001m, "BTC"), new(50_010m, 0.001m, 0.000001m, "BTC")];

        var fill = BinanceFills.Summarize(OrderSide.Buy, 0.002m, 100.01m, trades, "BTC", "USDT", stepSize: 0.00001m);

        Assert.Equal(50_005m, fill.Price);
        // Received 0.002 − 0.000002 = 0.001998 → held 0.00199 (the step); dust 0.000008.
        Assert.Equal(0.00199m, fill.Quantity);
        // Fee in quote: the commission 0.000002 and the dust 0.000008, both at the average price.
        Assert.Equal(0.000010m * 50_005m, fill.Fee);
        // What the account paid is what the position costs.
        Assert.Equal(100.01m, fill.Quantity * fill.Price + fill.Fee);
    }

    [Fact]
    public void A_sell_charged_in_quote_keeps_its_quantity_and_reports_the_commission_as_its_fee()
    {
        IReadOnlyList<BinanceTrade> trades = [new(4000m, 1m, 4m, "USDT"), new(3999m, 5m, 19.995m, "USDT")];

        var fill = BinanceFills.Summarize(OrderSide.Sell, 6m, 23_995m, trades, "BTC", "USDT", 0.001m);

        Assert.Equal(6m, fill.Quantity);
        Assert.Equal(23_995m / 6m, fill.Price);
        Assert.Equal(23.995m, fill.Fee);
    }

    [Theory]
    [InlineData("FILLED", "1", OrderStatus.Filled)]
    [InlineData("NEW", "0", OrderStatus.New)]
    [InlineData("PARTIALLY_FILLED", "0.5", OrderStatus.New)]
    [InlineData("EXPIRED", "0.5", OrderStatus.Filled)]
    [InlineData("EXPIRED", "0", OrderStatus.Rejected)]
    [InlineData("CANCELED", "0", OrderStatus.Canceled)]
    [InlineData("REJECTED", "0", OrderStatus.Rejected)]
    public void Binance_order_statuses_map_to_the_engine_s(string status, string executed, OrderStatus expected)
    {
        Assert.Equal(expected, BinanceFills.StatusOf(status, decimal.Parse(executed, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
