using Cts.Domain.Audit;
using Cts.Functions.Storage;
using Orleans.Storage;

namespace Cts.Functions.Engines;

/// <summary>
/// How the engine writes its state (SPEC §1, "database loss"). Background writes — health flushes, marks, the catch-up
/// after an outage — go through <see cref="WriteBehind"/> and never hold up a cycle: at most one is in flight, later
/// requests coalesce into one write of the latest state, and a failed one is retried with backoff. The node bounds how
/// many engines' background writes are in flight at once (<see cref="BackgroundWriteSlots"/>). Lifecycle
/// transitions still write before their action returns. While the state cannot be persisted (a write failed, or the one
/// in flight is older than <see cref="StallThreshold"/>) the engine is <c>degraded: "storage"</c>: it opens no new
/// positions, keeps managing open ones and keeps audit entries in memory. Once a background write goes through it
/// catches up — state, health, marks, the queued audit entries — and trades on.
/// </summary>
public sealed partial class EngineGrain
{
    /// <summary>
    /// A state write in flight longer than this means storage is stalled: no new positions until it lands. The node's
    /// storage probe judges its own write by the same bound.
    /// </summary>
    public static TimeSpan StallThreshold => StorageWatch.StallThreshold;

    private readonly Queue<AuditEntry> _pendingAudit = new();
    private readonly HashSet<string> _unsavedMarks = new(StringComparer.Ordinal);
    private WriteBehind? _writes;
    private bool _degraded;

    private WriteBehind Writes => _writes ??= new WriteBehind(WriteBehindAsync, e => LogBackgroundWriteFailed(e, ConnectionId), time, backgroundWrites);

    /// <summary>Whether the engine's state can be persisted now: not after a failed write, nor while one is stalled.</summary>
    private bool CanPersistNow() => !StorageDegraded;

    /// <summary>
    /// Degraded: a write of this engine failed, or its write in flight is stalled, or the node's probe says storage does
    /// not take writes now (<see cref="StorageWatch"/>; an engine may not have written for minutes).
    /// </summary>
    private bool StorageDegraded => _degraded || Writes.IsStalled(StallThreshold) || storage.Degraded;

    /// <summary>
    /// Writes the engine state now and returns once written; a storage outage marks the engine degraded and is rethrown.
    /// Once written, the status is announced on the live stream (which keeps status-all current) unless
    /// <paramref name="announce"/> is false because the caller announces a transition itself. <paramref name="undo"/>
    /// runs when the write fails, before any background write can see the state; <paramref name="apply"/> changes the
    /// state just before the write, inside the same turn of the write gate.
    /// </summary>
    private async Task PersistAsync(bool announce = true, Action? apply = null, Action? undo = null)
    {
        try
        {
            await Writes.WriteNowAsync(async () =>
            {
                apply?.Invoke();
                await WriteStateAsync();
            }, undo);
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e))
        {
            EnterDegraded(e);
            throw;
        }
        if (announce)
        {
            PublishStatus();
        }
    }

    /// <summary>One write of the engine's state row, taking the stored ETag if a write whose answer was lost had landed.</summary>
    private async Task WriteStateAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            var mine = state.State;
            await state.ReadStateAsync();
            state.State = mine;
            await state.WriteStateAsync();
        }
    }

    /// <summary>
    /// The background write: marks, then the state as it is now (health included), then the audit entries kept during
    /// an outage. When it goes through after an outage the engine is no longer degraded.
    /// </summary>
    private async Task WriteBehindAsync()
    {
        await FlushMarksAsync();
        Snapshot();
        _cycles.MarkFlushed();
        await WriteStateAsync();
        while (_pendingAudit.TryPeek(out var entry))
        {
            await audit.AppendAsync(entry);
            _pendingAudit.Dequeue();
        }
        if (_degraded)
        {
            _degraded = false;
            Context?.CanPersist = true;
            LogRecoveredStorage(ConnectionId);
        }
        PublishStatus();
    }

    /// <summary>Storage failed somewhere (a state, journal or audit write): degraded until a background write goes through.</summary>
    private void EnterDegraded(Exception cause)
    {
        Context?.CanPersist = false;
        if (!_degraded)
        {
            _degraded = true;
            if (cause is Cts.Domain.Trading.JournalUnavailableException journal)
            {
                // Classified already, and in a trade wave thousands of engines meet it at once: its reason, not its stack.
                LogDegradedByJournal(ConnectionId, journal.Message);
            }
            else
            {
                LogDegraded(cause, ConnectionId);
            }
        }
        Writes.Request();
    }

    /// <summary>
    /// A strategy entry skipped because the node's trading lane could not take its intent in time (a trade wave): storage
    /// never saw it, so the engine is not degraded, writes nothing to catch up and the cycle has not failed; counted and
    /// logged with its reason, one line each (in a wave thousands of engines skip at once).
    /// </summary>
    private void OnEntrySkipped(Cts.Domain.Trading.EntrySkippedException skipped)
    {
        Observability.CtsMetrics.CountEntrySkipped("storage-busy");
        LogEntrySkipped(ConnectionId, skipped.Message);
    }

    /// <summary>
    /// Persists the positions whose trailing-stop high moved since the last flush (batched, never per cycle). Marks that
    /// could not be written are kept and written with the next flush, at their latest value.
    /// </summary>
    private async Task FlushMarksAsync()
    {
        if (_run is not { } run)
        {
            return;
        }
        var book = run.Context.Trader.Book;
        foreach (var marked in book.TakeDirtyMarks())
        {
            _unsavedMarks.Add(marked.Id);
        }
        var positions = _unsavedMarks.Select(book.Find).OfType<Cts.Domain.Trading.Position>().ToList();
        if (positions.Count > 0)
        {
            await run.Journal.SaveMarksAsync(positions, CancellationToken.None);
        }
        _unsavedMarks.Clear();
    }

    [LoggerMessage(LogLevel.Error, "Engine {ConnectionId}: storage unavailable, degraded (no new positions until it returns)")]
    private partial void LogDegraded(Exception exception, string connectionId);

    [LoggerMessage(LogLevel.Error, "Engine {ConnectionId}: storage unavailable, degraded (no new positions until it returns): {Reason}")]
    private partial void LogDegradedByJournal(string connectionId, string reason);

    [LoggerMessage(LogLevel.Warning, "Engine {ConnectionId}: {Reason}")]
    private partial void LogEntrySkipped(string connectionId, string reason);

    [LoggerMessage(LogLevel.Warning, "Engine {ConnectionId}: background state write failed; retrying off the cycle path")]
    private partial void LogBackgroundWriteFailed(Exception exception, string connectionId);

    [LoggerMessage(LogLevel.Information, "Engine {ConnectionId}: storage is back, state and audit caught up")]
    private partial void LogRecoveredStorage(string connectionId);
}
