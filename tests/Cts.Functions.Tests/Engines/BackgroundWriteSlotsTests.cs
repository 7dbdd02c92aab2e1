using Cts.Functions.Engines;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Engines;

/// <summary>
/// Engines' background writes share the node's slots: with every slot taken, another engine's background write waits
/// for one before it starts, without counting as a storage stall and without holding up that engine's own lifecycle
/// write; it runs, with the latest state, once a slot is free.
/// </summary>
public sealed class BackgroundWriteSlotsTests
{
    [Fact]
    public async Task A_background_write_waits_for_a_free_slot_without_stalling_or_blocking_its_engines_lifecycle_writes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T16:00:00Z"));
        var slots = new BackgroundWriteSlots(Options.Create(new EngineOptions { BackgroundWriteConcurrency = 1 }));
        var firstStorage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstWrites = 0;
        var secondWrites = 0;
        var first = new WriteBehind(async () => { Interlocked.Increment(ref firstWrites); await firstStorage.Task; }, _ => { }, clock, slots);
        var second = new WriteBehind(() => { Interlocked.Increment(ref secondWrites); return Task.CompletedTask; }, _ => { }, clock, slots);

        first.Request();
        await Until(() => Volatile.Read(ref firstWrites) == 1 && slots.Free == 0, "the first engine's write holds the only slot");
        second.Request();
        second.Request(); // coalesces with the first request

        clock.Advance(EngineGrain.StallThreshold * 3);
        Assert.Equal(0, Volatile.Read(ref secondWrites));
        Assert.True(second.Pending);
        Assert.False(second.IsStalled(EngineGrain.StallThreshold), "waiting for a slot is not a storage stall");
        Assert.True(first.IsStalled(EngineGrain.StallThreshold), "the write in flight on storage is");

        var transitions = 0;
        await second.WriteNowAsync(() => { transitions++; return Task.CompletedTask; }).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, transitions);

        firstStorage.SetResult();
        await Until(() => Volatile.Read(ref secondWrites) == 1 && !second.Pending && slots.Free == 1,
            "the waiting write runs once the slot is free, once for both requests");
        Assert.Equal(1, Volatile.Read(ref firstWrites));
    }

    private static Task Until(Func<bool> condition, string what) =>
        Deadline.In(TimeSpan.FromSeconds(20)).UntilAsync(what, condition, () => "", TimeSpan.FromMilliseconds(10));
}
