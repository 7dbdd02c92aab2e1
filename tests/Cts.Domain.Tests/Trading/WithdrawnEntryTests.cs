using Cts.Domain.Processors;
using Cts.Domain.Strategies;
using Cts.Domain.Tests.Processors;
using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

/// <summary>An entry whose intent write fails (storage down or too slow) is never sent, and is recorded as such once storage answers.</summary>
public sealed class WithdrawnEntryTests
{
    [Fact]
    public async Task An_entry_whose_intent_is_not_written_is_not_sent_not_retried_and_later_recorded_as_rejected()
    {
        var journal = new FlakyJournal { IntentsDown = true };
        var rig = new TradingRig();
        var book = TradingRig.EmptyBook();
        var orders = new OrderExecutor("conn-1", rig.Paper, journal, book, rig.Time);
        var signal = TradingRig.Start.AddMinutes(-1);

        await Assert.ThrowsAsync<JournalUnavailableException>(() => orders.OpenAsync("BTCUSDT", signal, 25m, CancellationToken.None));

        Assert.Equal(0, rig.Ledger.OrderCount);
        var id = ClientOrderId.For("conn-1", "BTCUSDT", signal, OrderSide.Buy);
        Assert.True(book.HasUsed(id), "the same signal is not tried again");
        Assert.True(book.NeedsReconcile);
        Assert.Empty(book.PendingIntents);

        journal.IntentsDown = false;
        await orders.ReconcileAsync(CancellationToken.None);

        var recorded = Assert.Single(journal.Inner.Intents);
        Assert.Equal((id, IntentStatus.Rejected, OrderExecutor.WithdrawnReason), (recorded.ClientOrderId, recorded.Status, recorded.RejectReason));
        Assert.False(book.NeedsReconcile);
        Assert.Equal(0, rig.Ledger.OrderCount);
        // A later activation loads it as settled, so it is never sent.
        Assert.Empty((await journal.LoadAsync(CancellationToken.None)).PendingIntents);
    }

    [Fact]
    public async Task The_strategies_processor_records_the_withdrawal_once_the_engine_can_persist_again()
    {
        var journal = new FlakyJournal { IntentsDown = true };
        var strategy = new ScriptedStrategy { Next = StrategySignal.Enter(TradingRig.Start.AddMinutes(-1), "scripted", new Dictionary<string, double>()) };
        var rig = new TradingRig(strategy);
        var book = TradingRig.EmptyBook();
        var context = new EngineCycleContext("conn-1", ["BTCUSDT"], rig.Paper,
            new Trader(strategy, rig.Risk, book, new OrderExecutor("conn-1", rig.Paper, journal, book, rig.Time), rig.Fills));
        await rig.Indications.RunAsync(context, CancellationToken.None);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => rig.Strategies.RunAsync(context, CancellationToken.None));

        journal.IntentsDown = false;
        context.CanPersist = false;
        await rig.Strategies.RunAsync(context, CancellationToken.None);
        Assert.Empty(journal.Inner.Intents);

        context.CanPersist = true;
        await rig.Strategies.RunAsync(context, CancellationToken.None);

        Assert.Equal(IntentStatus.Rejected, Assert.Single(journal.Inner.Intents).Status);
        Assert.Equal(0, rig.Ledger.OrderCount);
    }
}
