using System.Threading.Channels;
using Cts.Functions.Backups;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Backups;

/// <summary>
/// The snapshot pump on a fake clock, with captures the test finishes by hand: which request a capture serves, how
/// requests share one, the interval between starts, and the pending capture taken at shutdown.
/// </summary>
public sealed class SnapshotPumpTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero));
    private readonly Channel<Capture> _started = Channel.CreateUnbounded<Capture>();
    private readonly SnapshotPump _pump;

    public SnapshotPumpTests() => _pump = new SnapshotPump(TakeAsync, Interval, _clock, NullLogger<SnapshotPump>.Instance);

    /// <summary>One capture in flight: its reason, when (on the fake clock) it started, and how the test finishes it.</summary>
    private sealed record Capture(string Reason, DateTimeOffset StartedAt, TaskCompletionSource<string?> Done);

    private async Task<string?> TakeAsync(string reason, CancellationToken cancellationToken)
    {
        var capture = new Capture(reason, _clock.GetUtcNow(), new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _started.Writer.WriteAsync(capture, cancellationToken);
        return await capture.Done.Task;
    }

    private Task<Capture> NextCaptureAsync() => _started.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    /// <summary>The next capture, moving the fake clock on until the pump starts it.</summary>
    private Task<Capture> NextCaptureAdvancingAsync() => Eventually.UntilAsync(() =>
    {
        if (_started.Reader.TryRead(out var capture)) return Task.FromResult<Capture?>(capture);
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        return Task.FromResult<Capture?>(null);
    }, c => c is not null, Patience, "the next capture starts").ContinueWith(t => t.Result!, TaskScheduler.Default);

    [Fact]
    public async Task Requests_made_while_a_capture_runs_wait_for_the_next_one_and_share_it()
    {
        var first = _pump.Request("post-connections");
        var capture1 = await NextCaptureAsync(); // nothing ran before: starts at once
        Assert.Equal("post-connections", capture1.Reason);

        // Changes written while capture 1 reads may be missing from it: their requests must not be served by it.
        var during = Enumerable.Range(0, 10).Select(i => _pump.Request(i % 2 == 0 ? "post-connections" : "put-presets")).ToList();
        capture1.Done.SetResult("backup-1");
        Assert.Equal("backup-1", await first.WaitAsync(Patience));
        Assert.All(during, t => Assert.False(t.IsCompleted, "served by a capture that started before the request"));

        var capture2 = await NextCaptureAdvancingAsync();
        Assert.True(capture2.StartedAt - capture1.StartedAt >= Interval, $"started {capture2.StartedAt - capture1.StartedAt} after the first");
        Assert.Equal("post-connections-put-presets", capture2.Reason);
        capture2.Done.SetResult("backup-2");
        Assert.All(await Task.WhenAll(during).WaitAsync(Patience), name => Assert.Equal("backup-2", name));
        Assert.False(_started.Reader.TryRead(out _), "one capture served all ten requests");

        // Once the interval has passed, a lone request starts its capture at once.
        _clock.Advance(Interval);
        var lone = _pump.Request("delete-connections");
        var capture3 = await NextCaptureAsync();
        Assert.Equal(capture2.StartedAt + Interval, capture3.StartedAt);
        capture3.Done.SetResult("backup-3");
        Assert.Equal("backup-3", await lone.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_failed_capture_completes_its_requests_with_no_name_and_the_next_request_is_served()
    {
        var failed = _pump.Request("put-settings");
        (await NextCaptureAsync()).Done.SetException(new IOException("storage down"));
        Assert.Null(await failed.WaitAsync(Patience));

        var next = _pump.Request("put-settings");
        (await NextCaptureAdvancingAsync()).Done.SetResult("backup-2");
        Assert.Equal("backup-2", await next.WaitAsync(Patience));
    }

    [Fact]
    public async Task Shutdown_takes_the_pending_snapshot_without_waiting_out_the_interval()
    {
        var first = _pump.Request("post-presets");
        var capture1 = await NextCaptureAsync();
        capture1.Done.SetResult("backup-1");
        await first.WaitAsync(Patience);
        var pending = _pump.Request("put-presets"); // waits for the interval, which the fake clock never reaches

        var stop = _pump.StopAsync(CancellationToken.None);
        var capture2 = await NextCaptureAsync();
        Assert.Equal(capture1.StartedAt, capture2.StartedAt);
        capture2.Done.SetResult("backup-2");
        await stop.WaitAsync(Patience);
        Assert.Equal("backup-2", await pending);
    }
}
