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
        var (_, live, unsubscribe) = bus.Subscribe(lastEventId: null);
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

        var (missed, _, stop) = bus.Subscribe(seen.Id - 1);
        stop();
        Assert.Equal(["Running", "Paused"], missed.Select(e => (string)e.Data));
        Assert.All(missed, e => Assert.Equal("engine-state", e.Type));
    }

    [Fact]
    public async Task A_live_subscriber_still_receives_every_health_event()
    {
        var bus = new EngineEventBus(new FakeTimeProvider());
        var (_, live, unsubscribe) = bus.Subscribe(lastEventId: null);
        bus.Publish("engine-health", "h1", "first");
        bus.Publish("engine-health", "h1", "second");

        Assert.Equal("first", (await live.ReadAsync()).Data);
        Assert.Equal("second", (await live.ReadAsync()).Data);
        unsubscribe();
    }
}
