using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

public sealed class PaperFillModelTests
{
    private static readonly PaperFillModel Model = new();

    [Fact]
    public void Defaults_are_a_tenth_of_a_percent_fee_and_5_bps_of_slippage()
    {
        Assert.Equal(0.001m, Model.FeeRate);
        Assert.Equal(5m, Model.SlippageBps);
    }

    [Fact]
    public void A_buy_fills_above_the_ask_and_buys_what_the_amount_pays_for_rounded_down()
    {
        // ask 100, 5 bps → 100 × 1.0005 = 100.05
        // quantity = 100 / 100.05 = 0.99950024987… → 0.99950024 (rounded down to 8 dp)
        // notional = 0.99950024 × 100.05 = 99.999999012, fee = 0.1 % of that = 0.099999999012
        var fill = Model.Buy(ask: 100m, quoteAmount: 100m);

        Assert.Equal(100.05m, fill.Price);
        Assert.Equal(0.99950024m, fill.Quantity);
        Assert.Equal(99.999999012m, fill.Notional);
        Assert.Equal(0.099999999012m, fill.Fee);
    }

    [Fact]
    public void A_sell_fills_below_the_bid()
    {
        // bid 98, 5 bps → 98 × 0.9995 = 97.951; notional = 0.99950024 × 97.951 = 97.90204800824; fee = 0.09790204800824
        var fill = Model.Sell(bid: 98m, quantity: 0.99950024m);

        Assert.Equal(97.951m, fill.Price);
        Assert.Equal(97.90204800824m, fill.Notional);
        Assert.Equal(0.09790204800824m, fill.Fee);
    }

    [Fact]
    public void Quantity_rounds_down_never_up()
    {
        // 10 / 3 = 3.333333333… → 3.33333333; 2 / 3 = 0.666666666… → 0.66666666 (not …67)
        Assert.Equal(3.33333333m, PaperFillModel.QuantityFor(10m, 3m));
        Assert.Equal(0.66666666m, PaperFillModel.QuantityFor(2m, 3m));
        Assert.Equal(0.00000001m, PaperFillModel.QuantityFor(0.00000001999m, 1m));
    }

    [Fact]
    public void The_model_is_configurable()
    {
        var free = new PaperFillModel(FeeRate: 0m, SlippageBps: 0m);

        var fill = free.Buy(ask: 50m, quoteAmount: 100m);

        Assert.Equal(50m, fill.Price);
        Assert.Equal(2m, fill.Quantity);
        Assert.Equal(0m, fill.Fee);
    }

    [Fact]
    public void Non_positive_prices_and_amounts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Buy(0m, 100m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Buy(100m, 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Sell(-1m, 1m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Sell(100m, 0m));
    }
}
