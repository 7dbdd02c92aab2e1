using Cts.Domain.Processors;
using Cts.Domain.Strategies;
using Cts.Domain.Tests.Processors;
using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

/// <summary>
/// A reconcile that fails is not tried again every cycle: the engine backs off, so engines whose orders an outage left
/// unsettled do not keep that outage going with their own retries.
/// </summary>
public sealed class ReconcileBackoffTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_delay_doubles_per_failure_within_its_jitter_up_to_the_cap_and_a_success_resets_it()
    {
        var backoff = new ReconcileBackoff("conn-1");
        Assert.True(backoff.IsDue(Now));

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            backoff.Failed(Now);
            delays.Add(backoff.NextAt - Now);
        }

        double[] ceilings = [1, 2, 4, 8, 16, 30, 30, 30];
        for (var i = 0; i < ceilings.Length; i++)
        {
            Assert.InRange(delays[i].TotalSeconds, ceilings[i] / 2, ceilings[i]);
        }
        Assert.Equal(8, backoff.Failures);
        Assert.False(backoff.IsDue(Now + delays[^1] - TimeSpan.FromMilliseconds(1)));
        Assert.True(backoff.IsDue(Now + delays[^1]));

        backoff.Succeeded();
        Assert.Equal(0, backoff.Failures);
        Assert.True(backoff.IsDue(Now));
    }

    [Fact]
    public void The_jitter_is_the_same_for_one_engine_on_every_run_and_differs_between_engines()
    {
        TimeSpan[] Delays(string connectionId)
        {
            var backoff = new ReconcileBackoff(connectionId);
            return Enumerable.Range(0, 6).Select(_ => { backoff.Failed(Now); return backoff.NextAt - Now; }).ToArray();
        }

        Assert.Equal(Delays("conn-1"), Delays("conn-1"));
        var spread = Enumerable.Range(0, 50).Select(i => Delays($"conn-{i}")[4]).Distinct().Count();
        Assert.True(spread > 40, $"50 engines that failed together retry at {spread} distinct times");
    }

    [Fact]
    public async Task A_failed_reconcile_is_not_tried_again_until_its_backoff_has_passed_and_the_cycles_run_meanwhile()
    {
        var journal = new FlakyJournal { Down = true };
        var strategy = new ScriptedStrategy { Next = StrategySignal.Enter(TradingRig.Start.AddMinutes(-1), "scripted", new Dictionary<string, double>()) };
        var rig = new TradingRig(strategy);
        var book = TradingRig.EmptyBook();
        var orders = new OrderExecutor("conn-1", rig.Paper, journal, book, rig.Time);
        var context = new EngineCycleContext("conn-1", ["BTCUSDT"], rig.Paper, new Trader(strategy, rig.Risk, book, orders, rig.Fills));
        await rig.Indications.RunAsync(context, CancellationToken.None);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => rig.Strategies.RunAsync(context, CancellationToken.None));
        strategy.Next = StrategySignal.None("scripted");

        // The withdrawal cannot be recorded: the first reconcile fails and sets the backoff.
        await Assert.ThrowsAsync<JournalUnavailableException>(() => rig.Realtime.RunAsync(context, CancellationToken.None));
        Assert.Equal(1, journal.Completions);
        var nextAt = orders.Backoff.NextAt;
        Assert.True(nextAt > rig.Time.GetUtcNow());

        // Before it is due, cycles run (marks are taken) without asking storage again.
        rig.Time.SetUtcNow(nextAt - TimeSpan.FromMilliseconds(1));
        await rig.Realtime.RunAsync(context, CancellationToken.None);
        await rig.Strategies.RunAsync(context, CancellationToken.None);
        Assert.Equal(1, journal.Completions);
        Assert.True(context.Marks.ContainsKey("BTCUSDT"));

        // Due: tried again, fails again, and waits longer.
        rig.Time.SetUtcNow(nextAt);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => rig.Realtime.RunAsync(context, CancellationToken.None));
        Assert.Equal((2, 2), (journal.Completions, orders.Backoff.Failures));

        // Storage is back: the next due cycle records the withdrawal and the backoff resets.
        journal.Down = false;
        rig.Time.SetUtcNow(orders.Backoff.NextAt);
        await rig.Realtime.RunAsync(context, CancellationToken.None);
        Assert.False(book.NeedsReconcile);
        Assert.Equal(0, orders.Backoff.Failures);
        Assert.Equal(IntentStatus.Rejected, Assert.Single(journal.Inner.Intents).Status);
        Assert.Equal(0, rig.Ledger.OrderCount);
    }
}
