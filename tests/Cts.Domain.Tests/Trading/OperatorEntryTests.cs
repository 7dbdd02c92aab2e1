using Cts.Domain.Exchanges;
using Cts.Domain.Tests.Processors;
using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

/// <summary>An operator's forced entry at the executor: same journal and ids as any entry, idempotent per request, within the balance.</summary>
public sealed class OperatorEntryTests
{
    [Fact]
    public async Task A_forced_entry_opens_a_position_through_the_journal_with_the_requests_client_order_id()
    {
        var rig = new TradingRig();

        var entry = await rig.Context.Trader.Orders.OpenForOperatorAsync("BTCUSDT", "request-1", 25m, CancellationToken.None);

        Assert.Equal(OperatorEntryOutcome.Opened, entry.Outcome);
        var expectedId = ClientOrderId.ForOperatorEntry("conn-1", "BTCUSDT", "request-1");
        Assert.Equal(expectedId, entry.ClientOrderId);
        var position = Assert.Single(rig.Context.Trader.Book.OpenPositions);
        Assert.Equal(expectedId, position.ClientOrderId);
        Assert.Equal(position, entry.Position);
        Assert.True(position.Quantity * position.EntryPrice is > 24.9m and <= 25m, $"notional {position.Quantity * position.EntryPrice}");
        var intent = Assert.Single(rig.Journal.Intents);
        Assert.Equal((expectedId, IntentStatus.Filled, OrderPurpose.Open, 25m), (intent.ClientOrderId, intent.Status, intent.Purpose, intent.QuoteAmount));
        Assert.Equal(position.Id, Assert.Single(rig.Journal.Positions).Id);
    }

    [Fact]
    public async Task The_same_request_retried_sends_nothing_and_returns_the_position_it_opened()
    {
        var rig = new TradingRig();
        var first = await rig.Context.Trader.Orders.OpenForOperatorAsync("BTCUSDT", "request-1", 25m, CancellationToken.None);

        var again = await rig.Context.Trader.Orders.OpenForOperatorAsync("BTCUSDT", "request-1", 25m, CancellationToken.None);

        Assert.Equal(OperatorEntryOutcome.AlreadyMade, again.Outcome);
        Assert.Equal(first.Position, again.Position);
        Assert.Equal(1, rig.Ledger.OrderCount);
        Assert.Single(rig.Context.Trader.Book.OpenPositions);
    }

    [Fact]
    public async Task The_same_request_after_a_restart_is_still_the_same_order()
    {
        var rig = new TradingRig();
        await rig.Context.Trader.Orders.OpenForOperatorAsync("BTCUSDT", "request-1", 25m, CancellationToken.None);
        var restarted = await rig.RestartAsync();

        var again = await restarted.Trader.Orders.OpenForOperatorAsync("BTCUSDT", "request-1", 25m, CancellationToken.None);

        Assert.Equal(OperatorEntryOutcome.AlreadyMade, again.Outcome);
        Assert.Equal(1, rig.Ledger.OrderCount);
    }

    [Fact]
    public async Task Another_request_opens_another_position()
    {
        var rig = new TradingRig();
        await rig.Context.Trader.Orders.OpenForOperatorAsync("BTCUSDT", "request-1", 25m, CancellationToken.None);

        var second = await rig.Context.Trader.Orders.OpenForOperatorAsync("BTCUSDT", "request-2", 25m, CancellationToken.None);

        Assert.Equal(OperatorEntryOutcome.Opened, second.Outcome);
        Assert.Equal(2, rig.Context.Trader.Book.OpenPositions.Count);
        Assert.Equal(2, rig.Ledger.OrderCount);
    }

    [Fact]
    public async Task An_amount_beyond_the_free_balance_is_refused_before_anything_is_written_or_sent()
    {
        var rig = new TradingRig();
        var free = (await rig.Paper.GetBalanceAsync("USDT", CancellationToken.None)).Free;

        var entry = await rig.Context.Trader.Orders.OpenForOperatorAsync("BTCUSDT", "request-1", free + 1m, CancellationToken.None);

        Assert.Equal(OperatorEntryOutcome.InsufficientBalance, entry.Outcome);
        Assert.Contains("insufficient USDT balance", entry.Reason);
        Assert.Empty(rig.Journal.Intents);
        Assert.Equal(0, rig.Ledger.OrderCount);
        Assert.Empty(rig.Context.Trader.Book.OpenPositions);
    }

    [Fact]
    public async Task A_venue_refusal_is_recorded_as_a_rejected_intent_with_its_reason()
    {
        // The balance covers the amount but not the fee on top: the pre-check passes, the venue's own check refuses.
        var rig = new TradingRig();
        var free = (await rig.Paper.GetBalanceAsync("USDT", CancellationToken.None)).Free;

        var entry = await rig.Context.Trader.Orders.OpenForOperatorAsync("BTCUSDT", "request-1", free, CancellationToken.None);

        Assert.Equal(OperatorEntryOutcome.Rejected, entry.Outcome);
        Assert.Equal(PaperExchange.InsufficientBalance, entry.Reason);
        Assert.Equal(IntentStatus.Rejected, Assert.Single(rig.Journal.Intents).Status);
        Assert.Empty(rig.Context.Trader.Book.OpenPositions);
    }

    [Fact]
    public async Task A_forced_position_is_closed_by_the_presets_exit_rules_like_any_other()
    {
        var rig = new TradingRig(risk: new RiskParameters(StopLossPct: 0.01m, TakeProfitPct: 0.01m));
        await rig.Context.Trader.Orders.OpenForOperatorAsync("BTCUSDT", "request-1", 25m, CancellationToken.None);

        for (var i = 0; i < 120 && rig.Context.Trader.Book.OpenPositions.Count > 0; i++)
        {
            rig.Time.Advance(TimeSpan.FromMinutes(1));
            await rig.Realtime.RunAsync(rig.Context, CancellationToken.None);
        }

        Assert.Empty(rig.Context.Trader.Book.OpenPositions);
        var closed = Assert.Single(rig.Journal.Positions, p => !p.IsOpen);
        Assert.Contains(closed.ExitReason, new ExitReason?[] { ExitReason.StopLoss, ExitReason.TakeProfit });
        Assert.Equal(ClientOrderId.ForExit(ClientOrderId.ForOperatorEntry("conn-1", "BTCUSDT", "request-1")), closed.ExitClientOrderId);
    }
}
