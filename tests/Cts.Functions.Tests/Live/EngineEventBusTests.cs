using Cts.Functions.Live;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Live;

/// <summary>What a reconnecting client gets back from the bus: the transitions it missed, however busy the engines were.</summary>
public sealed class EngineEventBusTests
{
    [Fact]
    public async Task A_flood_of_health_events_does_not_push_missed_transitions_out_of_the_replay_window()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var bus = new EngineEventBus(clock);
        var (_, live, unsubscribe, _) = bus.Subscribe(lastEventId: null);
        bus.Publish("engine-state", "flood-1", "Running");
        var seen = await live.ReadAsync();

        // Ten thousand engines' health for three seconds, then one more transition.
        for (var i = 0; i < 30_000; i++)
        {
            bus.Publish("engine-health", $"engine-{i % 10_000}", "health");
            clock.Advance(TimeSpan.FromMilliseconds(0.1));
        }
        bus.Publish("engine-state", "flood-1", "Paused");
        unsubscribe();

        var (missed, _, stop, gap) = bus.Subscribe(seen.Id - 1);
        stop();
        Assert.Null(gap);
        Assert.Equal(["Running", "Paused"], missed.Select(e => (string)e.Data));
        Assert.All(missed, e => Assert.Equal("engine-state", e.Type));
    }

    [Fact]
    public void A_last_event_id_older_than_the_window_is_a_gap_whose_resume_id_replays_the_window_without_another()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var bus = new EngineEventBus(clock);
        bus.Publish("engine-state", "w1", "Running");
        var (first, _, stop, _) = bus.Subscribe(lastEventId: 0);
        stop();
        var seen = Assert.Single(first).Id;
        bus.Publish("engine-state", "w1", "Paused");
        clock.Advance(EngineEventBus.Window + TimeSpan.FromSeconds(1));
        bus.Publish("engine-state", "w1", "Stopped");

        var (missed, _, unsubscribe, gap) = bus.Subscribe(seen);
        unsubscribe();

        // "Paused" left the window: what it still holds is replayed after the gap is announced.
        Assert.NotNull(gap);
        Assert.Equal(ReplayGap.WindowExceeded, gap.Reason);
        Assert.Equal(seen, gap.LastEventId);
        Assert.Equal(["Stopped"], missed.Select(e => (string)e.Data));
        Assert.Equal(missed[0].Id, gap.OldestEventId);
        var (again, _, leave, none) = bus.Subscribe(gap.ResumeId);
        leave();
        Assert.Null(none);
        Assert.Equal(["Stopped"], again.Select(e => (string)e.Data));

        // The newest id seen is never a gap, however long ago it was seen.
        clock.Advance(EngineEventBus.Window * 3);
        var (_, _, quit, current) = bus.Subscribe(missed[0].Id);
        quit();
        Assert.Null(current);
    }

    [Fact]
    public void An_id_this_run_never_issued_is_a_gap_an_earlier_run_a_later_id_or_garbage()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var before = new EngineEventBus(clock);
        before.Publish("engine-state", "r1", "Running");
        var (old, _, stop, _) = before.Subscribe(lastEventId: 0);
        stop();
        clock.Advance(TimeSpan.FromSeconds(30)); // the host restarts
        var bus = new EngineEventBus(clock);
        bus.Publish("engine-state", "r1", "Running");

        foreach (var unknown in new[] { old[0].Id, long.MaxValue, -1L })
        {
            var (_, _, leave, gap) = bus.Subscribe(unknown);
            leave();
            Assert.NotNull(gap);
            Assert.Equal(ReplayGap.UnknownEventId, gap.Reason);
        }
        var (_, _, quit, fresh) = bus.Subscribe(lastEventId: null);
        quit();
        Assert.Null(fresh);
    }

    [Fact]
    public async Task A_live_subscriber_still_receives_every_health_event()
    {
        var bus = new EngineEventBus(new FakeTimeProvider());
        var (_, live, unsubscribe, _) = bus.Subscribe(lastEventId: null);
        bus.Publish("engine-health", "h1", "first");
        bus.Publish("engine-health", "h1", "second");

        Assert.Equal("first", (await live.ReadAsync()).Data);
        Assert.Equal("second", (await live.ReadAsync()).Data);
        unsubscribe();
    }
}
