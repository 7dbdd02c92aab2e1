using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Exchanges;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that records every timer created on it (attempt timeouts, backoff and Retry-After
/// delays, injected latency), so a test can wait until the code under test has actually scheduled what it is about to
/// advance past, instead of racing it. Time only moves when the test moves it.
/// </summary>
internal sealed class ExchangeTestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    /// <summary>How long a test waits, in real time, for the code under test to schedule something.</summary>
    public static readonly TimeSpan RealTimeLimit = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<ScheduledTimer> _scheduled = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _driven;

    /// <summary>A timer as it was created: when, and how far ahead it was due.</summary>
    public sealed record ScheduledTimer(DateTimeOffset CreatedAt, TimeSpan DueTime)
    {
        public DateTimeOffset DueAt => CreatedAt + DueTime;
    }

    /// <summary>Every timer created so far, in order.</summary>
    public IReadOnlyList<ScheduledTimer> Scheduled
    {
        get
        {
            lock (_gate)
            {
                return [.. _scheduled];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new RecordingTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Record(dueTime);
        return timer;
    }

    /// <summary>
    /// Records a timer armed <paramref name="dueTime"/> from now. Timers are armed on creation or later by
    /// <see cref="ITimer.Change"/> (Polly's attempt timeout creates its timer disarmed, then arms it); disarming
    /// (infinite due time) is not recorded.
    /// </summary>
    private void Record(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }
        TaskCompletionSource changed;
        lock (_gate)
        {
            _scheduled.Add(new ScheduledTimer(GetUtcNow(), dueTime));
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private sealed class RecordingTimer(ITimer inner, ExchangeTestClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            clock.Record(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>Waits (in real time, bounded) until <paramref name="count"/> timers due <paramref name="dueTime"/> after their creation exist.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, int count = 1)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_scheduled.Count(t => t.DueTime == dueTime) >= count)
                {
                    return;
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(Left(clock));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException(
                    $"no {count}× timer due {dueTime} was scheduled within {RealTimeLimit}; scheduled: {Describe()}");
            }
        }
    }

    /// <summary>
    /// Runs time forward until <paramref name="call"/> completes, as a venue would: each timer the call schedules is
    /// fired at its due time, in the order they were created. Timers due exactly <paramref name="hold"/> (the attempt
    /// timeouts) are not advanced to on their own: they fire only when time passes them on the way to another timer
    /// (an injected latency longer than the timeout), which is what makes a timeout happen. Deterministic: time moves
    /// only to due times, and only from this method.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> call, TimeSpan hold)
    {
        await DriveAsync((Task)call, hold);
        return await call;
    }

    /// <inheritdoc cref="DriveAsync{T}(Task{T}, TimeSpan)"/>
    public async Task DriveAsync(Task call, TimeSpan hold)
    {
        var clock = Stopwatch.StartNew();
        while (!call.IsCompleted)
        {
            ScheduledTimer? next = null;
            Task changed;
            lock (_gate)
            {
                if (_driven < _scheduled.Count)
                {
                    next = _scheduled[_driven++];
                }
                changed = _changed.Task;
            }
            if (next is not null)
            {
                if (next.DueTime > TimeSpan.Zero && next.DueTime != hold && next.DueAt > GetUtcNow())
                {
                    SetUtcNow(next.DueAt);
                }
                continue;
            }
            try
            {
                await Task.WhenAny(call, changed).WaitAsync(Left(clock));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"the call neither completed nor scheduled a timer within {RealTimeLimit}; scheduled: {Describe()}");
            }
        }
        await call.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Marks every timer scheduled so far as seen by <see cref="DriveAsync(Task, TimeSpan)"/>.</summary>
    public void SkipScheduled()
    {
        lock (_gate)
        {
            _driven = _scheduled.Count;
        }
    }

    private static TimeSpan Left(Stopwatch clock) =>
        RealTimeLimit - clock.Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    private string Describe()
    {
        lock (_gate)
        {
            return string.Join(", ", _scheduled.TakeLast(12).Select(t => $"{t.DueTime} at {t.CreatedAt:HH:mm:ss.fff}"));
        }
    }
}
