using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Strategies;
using Cts.Domain.Trading;
using Moq;

namespace Cts.Domain.Tests.Processors;

/// <summary>Entries, exits and exactly-once orders through the real processors on the paper venue.</summary>
public sealed class TradingProcessorsTests
{
    private static StrategySignal EnterAt(DateTimeOffset at) => StrategySignal.Enter(at, "scripted entry", new Dictionary<string, double>());

    private static async Task<TradingRig> RigWithCandlesAsync(ScriptedStrategy strategy, RiskParameters? risk = null, IExchange? exchange = null)
    {
        var rig = new TradingRig(strategy, risk, exchange);
        await rig.Indications.RunAsync(rig.Context, CancellationToken.None);
        return rig;
    }

    [Fact]
    public async Task An_entry_signal_opens_one_position_and_the_same_signal_never_opens_another()
    {
        var strategy = new ScriptedStrategy { Next = EnterAt(TradingRig.Start.AddMinutes(-1)) };
        var rig = await RigWithCandlesAsync(strategy);

        await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);
        await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);

        var position = Assert.Single(rig.Context.Trader.Book.OpenPositions);
        Assert.Equal(ClientOrderId.For("conn-1", "BTCUSDT", TradingRig.Start.AddMinutes(-1), OrderSide.Buy), position.ClientOrderId);
        var ask = rig.Market.QuoteAt("BTCUSDT", TradingRig.Start).Ask;
        Assert.Equal(rig.Fills.BuyPrice(ask), position.EntryPrice);
        Assert.Equal(1, rig.Ledger.OrderCount);
        Assert.Equal(IntentStatus.Filled, Assert.Single(rig.Journal.Intents).Status);
    }

    [Fact]
    public async Task No_entry_while_paused()
    {
        var rig = await RigWithCandlesAsync(new ScriptedStrategy { Next = EnterAt(TradingRig.Start.AddMinutes(-1)) });
        rig.Context.EntriesPaused = true;

        await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);

        Assert.Empty(rig.Context.Trader.Book.OpenPositions);
        Assert.Equal(0, rig.Ledger.OrderCount);
    }

    [Fact]
    public async Task No_entry_while_state_cannot_be_persisted()
    {
        var rig = await RigWithCandlesAsync(new ScriptedStrategy { Next = EnterAt(TradingRig.Start.AddMinutes(-1)) });
        rig.Context.CanPersist = false;

        await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);

        Assert.Equal(0, rig.Ledger.OrderCount);
    }

    [Fact]
    public async Task No_entry_while_the_node_brings_engines_back_and_the_signal_enters_once_it_is_done()
    {
        var rig = await RigWithCandlesAsync(new ScriptedStrategy { Next = EnterAt(TradingRig.Start.AddMinutes(-1)) });
        rig.Context.EntriesHeld = true;

        await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);
        Assert.Equal(0, rig.Ledger.OrderCount);

        rig.Context.EntriesHeld = false;
        await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);
        Assert.Equal(1, rig.Ledger.OrderCount);
        Assert.Single(rig.Context.Trader.Book.OpenPositions);
    }

    [Fact]
    public async Task Max_open_positions_is_honoured_across_signals()
    {
        var strategy = new ScriptedStrategy();
        var rig = await RigWithCandlesAsync(strategy, new RiskParameters(MaxOpenPositions: 2));

        for (var minute = 1; minute <= 4; minute++)
        {
            strategy.Next = EnterAt(TradingRig.Start.AddMinutes(-minute));
            await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);
        }

        Assert.Equal(2, rig.Context.Trader.Book.OpenPositions.Count);
        Assert.Equal(2, rig.Ledger.OrderCount);
    }

    [Fact]
    public async Task An_exit_signal_closes_the_symbols_positions_with_exact_pnl()
    {
        var strategy = new ScriptedStrategy { Next = EnterAt(TradingRig.Start.AddMinutes(-1)) };
        var rig = await RigWithCandlesAsync(strategy);
        await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);
        var opened = Assert.Single(rig.Context.Trader.Book.OpenPositions);

        rig.Time.Advance(TimeSpan.FromMinutes(3));
        strategy.Next = StrategySignal.Exit(TradingRig.Start.AddMinutes(2), "scripted exit", new Dictionary<string, double>());
        await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);

        Assert.Empty(rig.Context.Trader.Book.OpenPositions);
        var closed = Assert.Single(rig.Journal.Positions);
        Assert.Equal(ExitReason.Signal, closed.ExitReason);
        var bid = rig.Market.QuoteAt("BTCUSDT", TradingRig.Start.AddMinutes(3)).Bid;
        var exit = rig.Fills.Sell(bid, opened.Quantity);
        var expected = exit.Quantity * exit.Price - exit.Fee - (opened.Quantity * opened.EntryPrice + opened.EntryFee);
        Assert.Equal(expected, closed.RealizedPnl);
        Assert.Equal(expected, rig.Context.Trader.Book.RealizedPnl);
    }

    [Fact]
    public async Task Realtime_stops_out_a_position_when_the_bid_falls_through_the_stop_even_while_paused()
    {
        var quotes = new Queue<decimal>([100m, 97.9m]);
        var venue = new Mock<IExchange>();
        venue.Setup(e => e.GetQuoteAsync("BTCUSDT", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => { var bid = quotes.Dequeue(); return new Quote("BTCUSDT", bid, bid, bid, TradingRig.Start); });
        venue.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrderRequest r, CancellationToken _) =>
                new OrderResult(r.ClientOrderId, r.Symbol, r.Side, OrderStatus.Filled, 97.9m, r.Quantity!.Value, 0.1m, TradingRig.Start, null));
        var rig = new TradingRig(new ScriptedStrategy(), new RiskParameters(StopLossPct: 2m), venue.Object);
        var journal = rig.Journal;
        var entry = Position.Open("p1", "conn-1", "BTCUSDT", 1m, 100m, 0.1m, TradingRig.Start, "p1");
        await journal.SaveIntentAsync(new OrderIntent("p1", "BTCUSDT", OrderSide.Buy, OrderPurpose.Open, 100m, null, "p1", null, null,
            TradingRig.Start, IntentStatus.Filled), CancellationToken.None);
        await journal.CompleteAsync(new OrderIntent("p1", "BTCUSDT", OrderSide.Buy, OrderPurpose.Open, 100m, null, "p1", null, null,
            TradingRig.Start, IntentStatus.Filled), entry, 0m, CancellationToken.None);
        var context = await rig.RestartAsync();
        context.EntriesPaused = true;

        await rig.Realtime.RunAsync(context, CancellationToken.None); // bid 100: holds
        Assert.Single(context.Trader.Book.OpenPositions);
        await rig.Realtime.RunAsync(context, CancellationToken.None); // bid 97.9 ≤ 98: stop-loss

        Assert.Empty(context.Trader.Book.OpenPositions);
        var closed = journal.Positions.Single(p => p.Id == "p1");
        Assert.Equal(ExitReason.StopLoss, closed.ExitReason);
        // 1 × 97.9 − 0.1 fee − (1 × 100 + 0.1 fee) = −2.3
        Assert.Equal(-2.3m, closed.RealizedPnl);
    }

    [Fact]
    public async Task Realtime_closes_every_position_one_quote_stops_out_in_the_same_cycle_and_keeps_the_rest_marked()
    {
        var quotes = new Queue<decimal>([97.9m, 97.9m]);
        var venue = new Mock<IExchange>();
        venue.Setup(e => e.GetQuoteAsync("BTCUSDT", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => { var bid = quotes.Dequeue(); return new Quote("BTCUSDT", bid, bid, bid, TradingRig.Start); });
        venue.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrderRequest r, CancellationToken _) =>
                new OrderResult(r.ClientOrderId, r.Symbol, r.Side, OrderStatus.Filled, 97.9m, r.Quantity!.Value, 0m, TradingRig.Start, null));
        var rig = new TradingRig(new ScriptedStrategy(), new RiskParameters(StopLossPct: 2m, MaxOpenPositions: 5), venue.Object);
        foreach (var (id, price) in new[] { ("p1", 100m), ("p2", 96m), ("p3", 101m) })
        {
            var intent = new OrderIntent(id, "BTCUSDT", OrderSide.Buy, OrderPurpose.Open, price, null, id, null, null, TradingRig.Start, IntentStatus.Filled);
            await rig.Journal.SaveIntentAsync(intent, CancellationToken.None);
            await rig.Journal.CompleteAsync(intent, Position.Open(id, "conn-1", "BTCUSDT", 1m, price, 0m, TradingRig.Start, id), 0m, CancellationToken.None);
        }
        var context = await rig.RestartAsync();

        await rig.Realtime.RunAsync(context, CancellationToken.None); // bid 97.9: p1 (stop 98) and p3 (stop 98.98) stop out, p2 (stop 94.08, target 99.84) holds

        var held = Assert.Single(context.Trader.Book.OpenPositions);
        Assert.Equal("p2", held.Id);
        Assert.Equal(97.9m, held.HighestPrice); // marked in place while the cycle read the book
        Assert.Equal(["p1", "p3"], rig.Journal.Positions.Where(p => !p.IsOpen).Select(p => p.Id).Order());
        Assert.All(rig.Journal.Positions.Where(p => !p.IsOpen), p => Assert.Equal(ExitReason.StopLoss, p.ExitReason));
        Assert.Equal((97.9m - 100m) + (97.9m - 101m), context.Trader.Book.RealizedPnl);
        venue.Verify(e => e.PlaceOrderAsync(It.Is<OrderRequest>(r => r.Side == OrderSide.Sell), It.IsAny<CancellationToken>()), Times.Exactly(2));

        await rig.Realtime.RunAsync(context, CancellationToken.None); // the same bid again: nothing more to close
        Assert.Single(context.Trader.Book.OpenPositions);
        venue.Verify(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_crash_between_order_sent_and_order_recorded_leaves_exactly_one_order_and_one_position()
    {
        var rig = new TradingRig(new ScriptedStrategy { Next = EnterAt(TradingRig.Start.AddMinutes(-1)) });
        // The venue takes the order, then the process "dies" before the engine hears back.
        var crashing = new Mock<IExchange>();
        crashing.Setup(e => e.GetCandlesAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns((string s, int n, CancellationToken ct) => rig.Paper.GetCandlesAsync(s, n, ct));
        crashing.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (OrderRequest r, CancellationToken ct) =>
            {
                await rig.Paper.PlaceOrderAsync(r, ct);
                throw new IOException("process killed after send");
            });
        var context = await rig.RestartAsync(crashing.Object);
        await rig.Indications.RunAsync(context, CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() => rig.Strategies.RunAsync(context, CancellationToken.None));
        var pending = Assert.Single(rig.Journal.Intents);
        Assert.Equal(IntentStatus.Pending, pending.Status);
        Assert.Empty(rig.Journal.Positions);

        // Next activation: the pending intent is reconciled with the venue by its client order id.
        var recovered = await rig.RestartAsync(rig.Paper);
        await rig.Indications.RunAsync(recovered, CancellationToken.None);
        await rig.Strategies.RunAsync(recovered, CancellationToken.None);

        Assert.Equal(1, rig.Ledger.OrderCount);
        Assert.NotNull(await rig.Paper.GetOrderAsync("BTCUSDT", pending.ClientOrderId, CancellationToken.None));
        var position = Assert.Single(rig.Journal.Positions);
        Assert.Equal(pending.ClientOrderId, position.ClientOrderId);
        Assert.Equal(IntentStatus.Filled, Assert.Single(rig.Journal.Intents).Status);
        Assert.Single(recovered.Trader.Book.OpenPositions);
    }

    [Fact]
    public async Task An_intent_the_venue_never_saw_is_resent_with_the_same_client_order_id()
    {
        var rig = new TradingRig(new ScriptedStrategy());
        var intent = OrderIntent.Open("conn-1", "BTCUSDT", TradingRig.Start.AddMinutes(-1), 100m, TradingRig.Start);
        await rig.Journal.SaveIntentAsync(intent, CancellationToken.None); // crashed before sending

        var context = await rig.RestartAsync();

        var order = await rig.Paper.GetOrderAsync("BTCUSDT", intent.ClientOrderId, CancellationToken.None);
        Assert.Equal(OrderStatus.Filled, order!.Status);
        Assert.Equal(1, rig.Ledger.OrderCount);
        Assert.Equal(intent.ClientOrderId, Assert.Single(context.Trader.Book.OpenPositions).ClientOrderId);
    }

    [Fact]
    public async Task A_rejected_order_is_marked_and_opens_nothing()
    {
        var rig = await RigWithCandlesAsync(new ScriptedStrategy { Next = EnterAt(TradingRig.Start.AddMinutes(-1)) },
            new RiskParameters(PositionSizeQuote: 1_000_000m));

        await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);

        Assert.Empty(rig.Context.Trader.Book.OpenPositions);
        var intent = Assert.Single(rig.Journal.Intents);
        Assert.Equal(IntentStatus.Rejected, intent.Status);
        Assert.Equal("insufficient balance", intent.RejectReason);
    }
}
