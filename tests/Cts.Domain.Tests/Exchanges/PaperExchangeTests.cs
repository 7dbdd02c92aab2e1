using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Domain.Tests.Exchanges;

public sealed class PaperExchangeTests
{
    /// <summary>
    /// At this instant the seed-42 market quotes BTCUSDT bid 59084.08270475, ask 59095.90070309 (asserted in
    /// <see cref="The_market_is_where_the_expected_values_were_computed"/>, so a market change shows up there first).
    /// </summary>
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 12, 34, 0, TimeSpan.Zero);

    private const decimal Bid = 59084.08270475m;
    private const decimal Ask = 59095.90070309m;

    // Buy 1000 USDT of BTC, default fill model (fee 0.1 %, slippage 5 bps):
    //   price    = ask × (1 + 5/10000) = 59095.90070309 × 1.0005           = 59125.448653441545
    //   quantity = 1000 / 59125.448653441545 = 0.016913190897…  → 8 dp down = 0.01691319
    //   notional = 0.01691319 × 59125.448653441545                         = 999.99994691090100447855
    //   fee      = notional × 0.001                                        = 0.99999994691090100447855
    //   debit    = notional + fee                                          = 1000.99994685781190548302855
    //   USDT     = 10000 − 1000.99994685781190548302855                    = 8999.00005314218809451697145
    private const decimal BuyPrice = 59125.448653441545m;
    private const decimal BuyQuantity = 0.01691319m;
    private const decimal BuyFee = 0.99999994691090100447855m;
    private const decimal UsdtAfterBuy = 8999.00005314218809451697145m;

    // Then sell 0.01 BTC:
    //   price    = bid × (1 − 5/10000) = 59084.08270475 × 0.9995           = 59054.540663397625
    //   notional = 0.01 × 59054.540663397625                               = 590.54540663397625
    //   fee      = notional × 0.001                                        = 0.59054540663397625
    //   credit   = notional − fee                                          = 589.95486122734227375
    //   USDT     = 8999.00005314218809451697145 + 589.95486122734227375    = 9588.95491436953036826697145
    //   BTC      = 0.01691319 − 0.01                                       = 0.00691319
    private const decimal SellPrice = 59054.540663397625m;
    private const decimal SellFee = 0.59054540663397625m;
    private const decimal UsdtAfterSell = 9588.95491436953036826697145m;
    private const decimal BtcAfterSell = 0.00691319m;

    private static readonly CancellationToken None = CancellationToken.None;

    private readonly FakeTimeProvider _time = new(Now);
    private readonly PaperMarket _market = new(seed: 42);
    private readonly InMemoryPaperLedger _ledger = new();
    private readonly PaperExchange _exchange;

    public PaperExchangeTests()
    {
        _exchange = new PaperExchange(_market, _time, new PaperFillModel(), _ledger);
    }

    [Fact]
    public void The_market_is_where_the_expected_values_were_computed()
    {
        var quote = _market.QuoteAt("BTCUSDT", Now);

        Assert.Equal(Bid, quote.Bid);
        Assert.Equal(Ask, quote.Ask);
    }

    [Fact]
    public async Task A_new_account_has_the_starting_quote_balance_and_nothing_else()
    {
        Assert.Equal(new Balance("USDT", 10_000m), await _exchange.GetBalanceAsync("USDT", None));
        Assert.Equal(new Balance("BTC", 0m), await _exchange.GetBalanceAsync("BTC", None));
        Assert.Equal(2_500m, await new InMemoryPaperLedger(2_500m).BalanceAsync("USDT", None));
    }

    [Fact]
    public async Task A_buy_fills_at_the_slipped_ask_and_debits_notional_plus_fee_exactly()
    {
        var order = await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 1000m), None);

        Assert.Equal(new OrderResult("buy-1", "BTCUSDT", OrderSide.Buy, OrderStatus.Filled, BuyPrice, BuyQuantity, BuyFee, Now, null), order);
        Assert.Equal(UsdtAfterBuy, (await _exchange.GetBalanceAsync("USDT", None)).Free);
        Assert.Equal(BuyQuantity, (await _exchange.GetBalanceAsync("BTC", None)).Free);
        Assert.Equal(new Fill(BuyPrice, BuyQuantity, BuyFee), order.ToFill());
    }

    [Fact]
    public async Task A_sell_fills_at_the_slipped_bid_and_credits_notional_minus_fee_exactly()
    {
        await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 1000m), None);

        var order = await _exchange.PlaceOrderAsync(OrderRequest.Sell("sell-1", "BTCUSDT", 0.01m), None);

        Assert.Equal(new OrderResult("sell-1", "BTCUSDT", OrderSide.Sell, OrderStatus.Filled, SellPrice, 0.01m, SellFee, Now, null), order);
        Assert.Equal(UsdtAfterSell, (await _exchange.GetBalanceAsync("USDT", None)).Free);
        Assert.Equal(BtcAfterSell, (await _exchange.GetBalanceAsync("BTC", None)).Free);
    }

    [Fact]
    public async Task Placing_the_same_client_order_id_twice_trades_once_and_returns_the_first_order()
    {
        var first = await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 1000m), None);
        _time.Advance(TimeSpan.FromMinutes(7)); // a later retry would price differently if it traded again

        var again = await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 1000m), None);
        var differentAmount = await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 50m), None);

        Assert.Equal(first, again);
        Assert.Equal(first, differentAmount);
        Assert.Equal(1, _ledger.OrderCount);
        Assert.Equal(UsdtAfterBuy, (await _exchange.GetBalanceAsync("USDT", None)).Free);
        Assert.Equal(BuyQuantity, (await _exchange.GetBalanceAsync("BTC", None)).Free);
    }

    [Fact]
    public async Task A_buy_the_quote_balance_cannot_cover_is_rejected_and_changes_nothing_and_stays_rejected()
    {
        var poor = new InMemoryPaperLedger(startingQuoteBalance: 1000m);
        var exchange = new PaperExchange(_market, _time, new PaperFillModel(), poor);

        // 1000 USDT buys 999.99994691… of notional, but the fee takes the outlay to 1000.99994685… > 1000.
        var order = await exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 1000m), None);

        Assert.Equal(new OrderResult("buy-1", "BTCUSDT", OrderSide.Buy, OrderStatus.Rejected, 0m, 0m, 0m, Now, "insufficient balance"), order);
        Assert.Equal(1000m, await poor.BalanceAsync("USDT", None));
        Assert.Equal(0m, await poor.BalanceAsync("BTC", None));

        // The id stays taken: a retry, even once the account could pay, gets the same rejection and trades nothing.
        var richer = new PaperExchange(_market, _time, new PaperFillModel(), poor);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(order, await richer.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 10m), None));
        Assert.Equal(order, await exchange.GetOrderAsync("BTCUSDT", "buy-1", None));
        Assert.Equal(1000m, await poor.BalanceAsync("USDT", None));
        Assert.Equal(1, poor.OrderCount);
    }

    [Fact]
    public async Task A_buy_of_exactly_the_balance_including_the_fee_fills()
    {
        var exact = new InMemoryPaperLedger(startingQuoteBalance: 1000.99994685781190548302855m);
        var exchange = new PaperExchange(_market, _time, new PaperFillModel(), exact);

        var order = await exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 1000m), None);

        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.Equal(0m, await exact.BalanceAsync("USDT", None));
    }

    [Fact]
    public async Task A_sell_of_more_base_than_held_is_rejected_and_changes_nothing()
    {
        await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 1000m), None);

        var order = await _exchange.PlaceOrderAsync(OrderRequest.Sell("sell-1", "BTCUSDT", 0.01691320m), None);

        Assert.Equal(OrderStatus.Rejected, order.Status);
        Assert.Equal("insufficient balance", order.RejectReason);
        Assert.Equal(UsdtAfterBuy, (await _exchange.GetBalanceAsync("USDT", None)).Free);
        Assert.Equal(BuyQuantity, (await _exchange.GetBalanceAsync("BTC", None)).Free);
    }

    [Fact]
    public async Task A_symbol_not_quoted_in_usdt_is_rejected_as_an_unsupported_quote_asset()
    {
        var order = await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "ETHBTC", 100m), None);

        Assert.Equal(OrderStatus.Rejected, order.Status);
        Assert.Equal("unsupported quote asset", order.RejectReason);
        Assert.Equal(10_000m, (await _exchange.GetBalanceAsync("USDT", None)).Free);
        Assert.Equal("BTC", PaperExchange.BaseAssetOf("BTCUSDT"));
        Assert.Null(PaperExchange.BaseAssetOf("USDT"));
        Assert.Null(PaperExchange.BaseAssetOf("ETHBTC"));
    }

    [Fact]
    public async Task A_buy_too_small_for_one_unit_of_quantity_precision_is_rejected()
    {
        // 0.0001 USDT / 59125.45 = 1.7e-9 BTC: rounds down to 0 at 8 decimals.
        var order = await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 0.0001m), None);

        Assert.Equal(OrderStatus.Rejected, order.Status);
        Assert.Equal("order too small", order.RejectReason);
        Assert.Equal(10_000m, (await _exchange.GetBalanceAsync("USDT", None)).Free);
    }

    [Fact]
    public async Task GetOrder_returns_null_for_an_id_the_venue_never_saw_and_the_order_for_one_it_did()
    {
        Assert.Null(await _exchange.GetOrderAsync("BTCUSDT", "never-placed", None));

        var order = await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 100m), None);

        Assert.Equal(order, await _exchange.GetOrderAsync("BTCUSDT", "buy-1", None));
        Assert.Null(await _exchange.GetOrderAsync("ETHUSDT", "buy-1", None));
    }

    [Fact]
    public async Task Cancel_returns_false_because_paper_market_orders_are_never_open()
    {
        await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 100m), None);

        Assert.False(await _exchange.CancelOrderAsync("BTCUSDT", "buy-1", None));
        Assert.False(await _exchange.CancelOrderAsync("BTCUSDT", "never-placed", None));
        Assert.Equal(OrderStatus.Filled, (await _exchange.GetOrderAsync("BTCUSDT", "buy-1", None))!.Status);
    }

    [Fact]
    public async Task Concurrent_placements_of_the_same_client_order_id_trade_once()
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await _exchange.PlaceOrderAsync(OrderRequest.Buy("buy-1", "BTCUSDT", 1000m), None);
        })).ToList();
        start.Set();

        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal(OrderStatus.Filled, results[0].Status);
        Assert.Equal(1, _ledger.OrderCount);
        Assert.Equal(UsdtAfterBuy, (await _exchange.GetBalanceAsync("USDT", None)).Free);
        Assert.Equal(BuyQuantity, (await _exchange.GetBalanceAsync("BTC", None)).Free);
    }

    [Fact]
    public async Task Concurrent_different_orders_cannot_spend_the_same_balance_twice()
    {
        // Room for one 1000 USDT buy (outlay 1000.99994685…) but not two.
        var ledger = new InMemoryPaperLedger(startingQuoteBalance: 1500m);
        var exchange = new PaperExchange(_market, _time, new PaperFillModel(), ledger);
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await exchange.PlaceOrderAsync(OrderRequest.Buy($"buy-{i}", "BTCUSDT", 1000m), None);
        })).ToList();
        start.Set();

        var results = await Task.WhenAll(tasks);

        Assert.Single(results, r => r.Status == OrderStatus.Filled);
        Assert.Equal(15, results.Count(r => r is { Status: OrderStatus.Rejected, RejectReason: "insufficient balance" }));
        Assert.Equal(1500m - 1000.99994685781190548302855m, await ledger.BalanceAsync("USDT", None));
        Assert.Equal(16, ledger.OrderCount);
    }

    [Fact]
    public async Task Quotes_and_candles_still_come_from_the_market_at_the_clock_time()
    {
        Assert.Equal(_market.QuoteAt("BTCUSDT", Now), await _exchange.GetQuoteAsync("BTCUSDT", None));
        Assert.Equal(_market.RecentCandles("BTCUSDT", Now, 3), await _exchange.GetCandlesAsync("BTCUSDT", 3, None));
    }

    public static TheoryData<OrderSide, decimal?, decimal?> InvalidAmounts => new()
    {
        { OrderSide.Buy, null, null },
        { OrderSide.Buy, 0m, null },
        { OrderSide.Buy, -5m, null },
        { OrderSide.Buy, 100m, 1m },
        { OrderSide.Buy, null, 1m },
        { OrderSide.Sell, null, null },
        { OrderSide.Sell, null, 0m },
        { OrderSide.Sell, null, -1m },
        { OrderSide.Sell, 100m, 1m },
        { OrderSide.Sell, 100m, null },
        { (OrderSide)7, 100m, null },
    };

    [Theory]
    [MemberData(nameof(InvalidAmounts))]
    public void An_order_request_needs_exactly_its_sides_amount_and_it_must_be_positive(OrderSide side, decimal? quoteAmount, decimal? quantity)
    {
        Assert.Throws<ArgumentException>(() => new OrderRequest("id-1", "BTCUSDT", side, quoteAmount, quantity));
    }

    [Theory]
    [InlineData("", "BTCUSDT")]
    [InlineData(" ", "BTCUSDT")]
    [InlineData("id-1", "")]
    public void An_order_request_needs_a_client_order_id_and_a_symbol(string clientOrderId, string symbol)
    {
        Assert.Throws<ArgumentException>(() => new OrderRequest(clientOrderId, symbol, OrderSide.Buy, 100m, null));
    }

    [Fact]
    public void Valid_order_requests_keep_their_fields()
    {
        Assert.Equal(new OrderRequest("b", "BTCUSDT", OrderSide.Buy, 100m, null), OrderRequest.Buy("b", "BTCUSDT", 100m));
        var sell = OrderRequest.Sell("s", "ETHUSDT", 0.5m);
        Assert.Equal(("s", "ETHUSDT", OrderSide.Sell, (decimal?)null, (decimal?)0.5m),
            (sell.ClientOrderId, sell.Symbol, sell.Side, sell.QuoteAmount, sell.Quantity));
    }
}
