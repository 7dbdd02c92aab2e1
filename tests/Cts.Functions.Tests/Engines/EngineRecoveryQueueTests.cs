using Cts.Functions.Engines;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Cts.Functions.Tests.Engines;

/// <summary>
/// The recovery queue's admission control: however many engines are queued at once, no more than the configured number
/// complete their recovery at the same time, every one of them is completed, and a recovery that fails is tried again
/// after the retry delay, a bounded number of times. The engines are mocked at the grain factory, the boundary the
/// queue calls through.
/// </summary>
public sealed class EngineRecoveryQueueTests
{
    [Fact]
    public async Task No_more_recoveries_than_the_concurrency_run_at_once_and_every_queued_engine_recovers()
    {
        const int concurrency = 3;
        const int engines = 40;
        var running = 0;
        var peak = 0;
        var completed = new HashSet<string>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var grains = new Mock<IGrainFactory>(MockBehavior.Strict);
        grains.Setup(g => g.GetGrain<IEngineGrain>(It.IsAny<string>(), null)).Returns((string id, string? _) =>
        {
            var engine = new Mock<IEngineGrain>(MockBehavior.Strict);
            engine.Setup(e => e.CompleteRecovery()).Returns(async () =>
            {
                var now = Interlocked.Increment(ref running);
                lock (completed)
                {
                    peak = Math.Max(peak, now);
                }
                await release.Task;
                Interlocked.Decrement(ref running);
                lock (completed)
                {
                    completed.Add(id);
                }
            });
            return engine.Object;
        });
        using var queue = NewQueue(grains.Object, concurrency, TimeProvider.System);
        for (var i = 0; i < engines; i++)
        {
            queue.Enqueue($"engine-{i}");
        }
        await queue.StartAsync(CancellationToken.None);

        await Until(() => queue.InFlight == concurrency && Volatile.Read(ref running) == concurrency, "the workers take their first engines");
        Assert.Equal(engines - concurrency, queue.Waiting);
        release.SetResult();
        await Until(() => { lock (completed) { return completed.Count == engines; } }, "every queued engine completes its recovery");

        Assert.Equal(concurrency, peak);
        Assert.Equal(0, queue.Waiting);
        await queue.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_recovery_is_tried_again_after_the_delay_up_to_the_attempt_limit()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T12:00:00Z"));
        var attempts = 0;
        var engine = new Mock<IEngineGrain>(MockBehavior.Strict);
        engine.Setup(e => e.CompleteRecovery()).Returns(() =>
        {
            Interlocked.Increment(ref attempts);
            return Task.FromException(new TimeoutException("storage is still busy"));
        });
        var grains = new Mock<IGrainFactory>(MockBehavior.Strict);
        grains.Setup(g => g.GetGrain<IEngineGrain>("engine-x", null)).Returns(engine.Object);
        using var queue = NewQueue(grains.Object, concurrency: 2, clock);
        await queue.StartAsync(CancellationToken.None);

        queue.Enqueue("engine-x");
        await Until(() => Volatile.Read(ref attempts) == 1 && queue.InFlight == 0, "the first attempt fails");
        clock.Advance(EngineRecoveryQueue.RetryDelay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, Volatile.Read(ref attempts)); // not before the delay
        for (var attempt = 2; attempt <= EngineRecoveryQueue.MaxAttempts; attempt++)
        {
            var expected = attempt;
            clock.Advance(EngineRecoveryQueue.RetryDelay);
            await Until(() => Volatile.Read(ref attempts) == expected && queue.InFlight == 0, $"attempt {expected} runs after the delay");
        }
        clock.Advance(EngineRecoveryQueue.RetryDelay * 3);
        await Until(() => queue.Waiting == 0 && queue.InFlight == 0, "the queue is idle");
        Assert.Equal(EngineRecoveryQueue.MaxAttempts, Volatile.Read(ref attempts)); // then the watchdog reminder's turn

        queue.Enqueue("engine-x"); // the watchdog queues it again: a fresh set of attempts
        await Until(() => Volatile.Read(ref attempts) == EngineRecoveryQueue.MaxAttempts + 1, "the requeued engine is tried again");
        await queue.StopAsync(CancellationToken.None);
    }

    private static EngineRecoveryQueue NewQueue(IGrainFactory grains, int concurrency, TimeProvider time) =>
        new(grains, Options.Create(new EngineOptions { RecoveryConcurrency = concurrency }), time, NullLogger<EngineRecoveryQueue>.Instance);

    private static Task Until(Func<bool> condition, string what) =>
        Deadline.In(TimeSpan.FromSeconds(20)).UntilAsync(what, condition, () => "", TimeSpan.FromMilliseconds(10));
}
