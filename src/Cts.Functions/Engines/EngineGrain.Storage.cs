using Cts.Domain.Audit;
using Cts.Functions.Storage;
using Orleans.Storage;

namespace Cts.Functions.Engines;

/// <summary>
/// Storage outages (SPEC §1, "database loss"): writes are retried by the storage client; when they still fail the
/// engine is <c>degraded: "storage"</c> — it opens no new positions, keeps managing open ones, keeps audit entries
/// in memory — and probes storage every few seconds. When a write goes through again it catches up: state,
/// health, the queued audit entries, then trading resumes.
/// </summary>
public sealed partial class EngineGrain
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(2);

    private readonly Queue<AuditEntry> _pendingAudit = new();
    private bool _degraded;
    private IGrainTimer? _probe;

    /// <summary>
    /// Writes the engine state; a storage outage marks the engine degraded and is rethrown to the caller. Once written,
    /// the status is announced on the live stream (which keeps status-all current) unless <paramref name="announce"/>
    /// is false because the caller announces a transition itself.
    /// </summary>
    private async Task PersistAsync(bool announce = true)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // A write whose answer was lost may have landed: take the stored ETag, keep our state, write again.
            var mine = state.State;
            await state.ReadStateAsync();
            state.State = mine;
            await state.WriteStateAsync();
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

    /// <summary>Whether the engine's state can be persisted now: false while degraded.</summary>
    private bool CanPersistNow() => !_degraded;

    private void EnterDegraded(Exception cause)
    {
        Context?.CanPersist = false;
        if (_degraded)
        {
            return;
        }
        _degraded = true;
        LogDegraded(cause, ConnectionId);
        _probe = this.RegisterGrainTimer(_ => ProbeStorageAsync(), new GrainTimerCreationOptions
        {
            DueTime = ProbeInterval,
            Period = ProbeInterval,
            Interleave = false,
            KeepAlive = true,
        });
    }

    private async Task ProbeStorageAsync()
    {
        try
        {
            Snapshot();
            await state.WriteStateAsync();
            while (_pendingAudit.TryPeek(out var entry))
            {
                await audit.AppendAsync(entry);
                _pendingAudit.Dequeue();
            }
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e) || e is InconsistentStateException)
        {
            return; // still down; try again at the next probe
        }
        _cycles.MarkFlushed();
        _degraded = false;
        Context?.CanPersist = true;
        _probe?.Dispose();
        _probe = null;
        LogRecoveredStorage(ConnectionId);
    }

    [LoggerMessage(LogLevel.Error, "Engine {ConnectionId}: storage unavailable, degraded (no new positions until it returns)")]
    private partial void LogDegraded(Exception exception, string connectionId);

    [LoggerMessage(LogLevel.Information, "Engine {ConnectionId}: storage is back, state and audit caught up")]
    private partial void LogRecoveredStorage(string connectionId);
}
