using Cts.Domain.Processors;
using Cts.Functions.Engines;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Engines;

/// <summary>
/// The processor views in an engine's status are values built from the current health for each status (the board
/// keeps statuses as bytes, so nothing of a status outlives its publication); a status built after a run shows that
/// run, and an unchanged processor shows the same view.
/// </summary>
public sealed class EngineCyclesViewTests
{
    private static readonly ProcessorIntervals Intervals = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private EngineCycles NewCycles() => new([], _time, TimeSpan.FromSeconds(10));

    [Fact]
    public void A_run_shows_in_the_next_view_and_an_unchanged_processor_shows_the_same_view()
    {
        var cycles = NewCycles();
        var before = cycles.View(Intervals);

        cycles.Health[ProcessorKind.Realtime].RecordSuccess(_time.GetUtcNow(), TimeSpan.FromMilliseconds(4));
        var after = cycles.View(Intervals);

        Assert.Equal(0, before["realtime"].Runs);
        Assert.Equal(1, after["realtime"].Runs);
        Assert.Equal(1, after["realtime"].Successes);
        Assert.Equal(4, after["realtime"].LastLatencyMs);
        Assert.Equal(4, after["realtime"].P95LatencyMs);
        Assert.Equal(_time.GetUtcNow(), after["realtime"].LastRunAt);
        Assert.Equal(before["indications"], after["indications"]); // unchanged health, equal view
        Assert.NotSame(before, after); // each status gets its own dictionary
        Assert.Equal(["indications", "strategies", "realtime"], after.Keys);
    }

    [Fact]
    public void A_failure_and_a_restore_show_in_the_next_view()
    {
        var cycles = NewCycles();
        cycles.View(Intervals);

        cycles.Health[ProcessorKind.Strategies].RecordFailure(_time.GetUtcNow(), TimeSpan.FromMilliseconds(9), "venue down");
        var failed = cycles.View(Intervals)["strategies"];
        cycles.Restore(new Dictionary<string, ProcessorHealthRecord>
        {
            ["strategies"] = new(40, 38, 2, 0, 3.5, _time.GetUtcNow(), _time.GetUtcNow(), "earlier"),
        });
        var restored = cycles.View(Intervals)["strategies"];

        Assert.Equal((1L, 1L, 1, "venue down", 0.0), (failed.Runs, failed.Failures, failed.ConsecutiveFailures, failed.LastError, failed.SuccessRate));
        Assert.Equal((40L, 38L, 2L, 0, "earlier", 0.95), (restored.Runs, restored.Successes, restored.Failures, restored.ConsecutiveFailures, restored.LastError, restored.SuccessRate));
    }

    [Fact]
    public void A_changed_interval_shows_in_the_next_view()
    {
        var cycles = NewCycles();
        cycles.View(Intervals);

        var view = cycles.View(Intervals with { Indications = TimeSpan.FromSeconds(30) });

        Assert.Equal(30_000, view["indications"].IntervalMs);
        Assert.Equal(1_000, view["realtime"].IntervalMs);
    }
}
