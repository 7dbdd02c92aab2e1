using Cts.Domain.Processors;
using Cts.Domain.Strategies;
using Cts.Domain.Tests.Processors;
using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

/// <summary>
/// An entry whose intent the journal refused unsent (<see cref="JournalBusyException"/>: the node's queue for storage
/// stayed full, as in a trade wave) is skipped: nothing sent, nothing to withdraw, not a failed cycle.
/// </summary>
public sealed class SkippedEntryTests
{
    [Fact]
    public async Task A_strategy_entry_refused_as_busy_is_skipped_not_sent_not_withdrawn_and_not_tried_again()
    {
        var journal = new FlakyJournal { IntentsBusy = true };
        var rig = new TradingRig();
        var book = TradingRig.EmptyBook();
        var orders = new OrderExecutor("conn-1", rig.Paper, journal, book, rig.Time);
        var signal = TradingRig.Start.AddMinutes(-1);

        var skipped = await Assert.ThrowsAsync<EntrySkippedException>(() => orders.OpenAsync("BTCUSDT", signal, 25m, CancellationToken.None));

        var id = ClientOrderId.For("conn-1", "BTCUSDT", signal, OrderSide.Buy);
        Assert.Equal(("BTCUSDT", id), (skipped.Symbol, skipped.ClientOrderId));
        Assert.IsType<JournalBusyException>(skipped.InnerException);
        Assert.Equal(0, rig.Ledger.OrderCount);
        Assert.True(book.HasUsed(id), "the same signal is not tried again");
        Assert.False(book.NeedsReconcile, "nothing reached storage, so there is nothing to withdraw");

        journal.IntentsBusy = false;
        await orders.ReconcileAsync(CancellationToken.None);
        Assert.Empty(journal.Inner.Intents);
        Assert.Equal(0, journal.Completions);
    }

    [Fact]
    public async Task The_strategies_cycle_reports_each_skipped_entry_goes_on_with_the_other_symbols_and_does_not_fail()
    {
        var journal = new FlakyJournal { IntentsBusy = true };
        var strategy = new ScriptedStrategy { Next = StrategySignal.Enter(TradingRig.Start.AddMinutes(-1), "scripted", new Dictionary<string, double>()) };
        var rig = new TradingRig(strategy);
        var book = TradingRig.EmptyBook();
        var context = new EngineCycleContext("conn-1", ["BTCUSDT", "ETHUSDT"], rig.Paper,
            new Trader(strategy, rig.Risk, book, new OrderExecutor("conn-1", rig.Paper, journal, book, rig.Time), rig.Fills));
        var reported = new List<EntrySkippedException>();
        context.EntrySkipped = reported.Add;
        await rig.Indications.RunAsync(context, CancellationToken.None);

        await rig.Strategies.RunAsync(context, CancellationToken.None);

        Assert.Equal(["BTCUSDT", "ETHUSDT"], reported.Select(r => r.Symbol));
        Assert.Equal(0, rig.Ledger.OrderCount);

        journal.IntentsBusy = false;
        await rig.Strategies.RunAsync(context, CancellationToken.None);
        Assert.Equal(2, reported.Count);
        Assert.Equal(0, rig.Ledger.OrderCount);
        Assert.Empty(journal.Inner.Intents);
    }

    [Fact]
    public async Task An_operator_entry_refused_as_busy_sends_nothing_and_the_same_request_retried_opens_it()
    {
        var journal = new FlakyJournal { IntentsBusy = true };
        var rig = new TradingRig();
        var book = TradingRig.EmptyBook();
        var orders = new OrderExecutor("conn-1", rig.Paper, journal, book, rig.Time);

        await Assert.ThrowsAsync<EntrySkippedException>(() => orders.OpenForOperatorAsync("BTCUSDT", "request-1", 25m, CancellationToken.None));
        Assert.Equal(0, rig.Ledger.OrderCount);
        Assert.False(book.HasUsed(ClientOrderId.ForOperatorEntry("conn-1", "BTCUSDT", "request-1")), "the request may be retried with its key");

        journal.IntentsBusy = false;
        var retried = await orders.OpenForOperatorAsync("BTCUSDT", "request-1", 25m, CancellationToken.None);

        Assert.Equal(OperatorEntryOutcome.Opened, retried.Outcome);
        Assert.Equal(1, rig.Ledger.OrderCount);
    }
}
