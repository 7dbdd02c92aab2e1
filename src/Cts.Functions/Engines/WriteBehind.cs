namespace Cts.Functions.Engines;

/// <summary>
/// An engine's state writes, off its cycle path. <see cref="Request"/> asks for the latest state to be written and
/// returns at once: at most one write is in flight, and requests made meanwhile coalesce into one more write of the
/// state as it is then (the latest wins). A write that fails is retried in the background with backoff until one goes
/// through. <see cref="WriteNowAsync"/> is for writes an action must see done (lifecycle transitions): it waits its turn
/// behind the write in flight, then writes, and throws if it fails. Every write goes through one gate, so two never run
/// at once (one row, one ETag).
/// </summary>
/// <remarks>
/// Runs on the grain's scheduler: the loop is a task the grain started and does not await, so its continuations
/// interleave with the grain's turns (a timer tick runs while a write waits on storage), never with each other.
/// <see cref="IsStalled"/> tells the engine that its state cannot be persisted now: a write has failed since the last
/// one that succeeded, or the one in flight has taken longer than the stall threshold.
/// With <paramref name="slots"/>, each background write first waits for one of the node's slots
/// (<see cref="BackgroundWriteSlots"/>), before it takes the gate: a <see cref="WriteNowAsync"/> never waits behind a
/// write that is still waiting for its slot, and the wait is not counted as a stall.
/// </remarks>
public sealed class WriteBehind(Func<Task> write, Action<Exception> failed, TimeProvider time, BackgroundWriteSlots? slots = null)
{
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task _loop = Task.CompletedTask;
    private bool _pending;
    private bool _stopped;
    private long? _inFlightSince;

    /// <summary>True when the last write failed and no write has succeeded since.</summary>
    public bool Failing { get; private set; }

    /// <summary>True while a write is wanted that has not yet gone through (waiting, in flight or between retries).</summary>
    public bool Pending => _pending || _inFlightSince is not null || !_loop.IsCompleted;

    /// <summary>True when the state cannot be persisted now: failing, or the write in flight is older than <paramref name="threshold"/>.</summary>
    public bool IsStalled(TimeSpan threshold) =>
        Failing || (_inFlightSince is { } since && time.GetElapsedTime(since) > threshold);

    /// <summary>Asks for the latest state to be written in the background; returns at once.</summary>
    public void Request()
    {
        if (_stopped)
        {
            return;
        }
        _pending = true;
        if (_loop.IsCompleted)
        {
            _loop = RunAsync();
        }
    }

    /// <summary>
    /// Runs <paramref name="now"/> (a write an action must see done) after the write in flight, if any, and returns
    /// once it is done; throws when it fails, after calling <paramref name="undo"/> inside the gate, so no background
    /// write can pick up the state being undone. A background write that was asked for still follows.
    /// </summary>
    public async Task WriteNowAsync(Func<Task> now, Action? undo = null)
    {
        await _gate.WaitAsync();
        try
        {
            _inFlightSince = time.GetTimestamp();
            await now();
        }
        catch
        {
            undo?.Invoke();
            throw;
        }
        finally
        {
            _inFlightSince = null;
            _gate.Release();
        }
    }

    /// <summary>No further background writes (deactivation): the loop ends after the attempt in flight.</summary>
    public void Stop() => _stopped = true;

    private async Task RunAsync()
    {
        var delay = FirstRetryDelay;
        while (_pending && !_stopped)
        {
            bool? succeeded;
            using (slots is null ? default : await slots.EnterAsync())
            {
                succeeded = await WriteOnceAsync();
            }
            if (succeeded is null)
            {
                return; // a WriteNowAsync wrote the latest state while we waited
            }
            if (succeeded == false)
            {
                await Task.Delay(delay, time);
                delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
            }
            else
            {
                delay = FirstRetryDelay;
            }
        }
    }

    /// <summary>One background write through the gate: true if written, false if it failed, null if nothing was left to write.</summary>
    private async Task<bool?> WriteOnceAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!_pending || _stopped)
            {
                return null;
            }
            _pending = false;
            _inFlightSince = time.GetTimestamp();
            await write();
            Failing = false;
            return true;
        }
        catch (Exception e)
        {
            Failing = true;
            _pending = true;
            failed(e);
            return false;
        }
        finally
        {
            _inFlightSince = null;
            _gate.Release();
        }
    }
}
