using Cts.Domain.Audit;
using Cts.Domain.Engines;
using Cts.Functions.Storage;

namespace Cts.Functions.Engines;

/// <summary>
/// Recovery after a crash or restart (SPEC §3 "Durability"). The activation decides the plan from the persisted state;
/// a stop that was in progress is completed at once, while an engine that must start again (Running, Initializing) or
/// resume paused waits its turn on the node's <see cref="EngineRecoveryQueue"/>, reporting Initializing (or Paused)
/// meanwhile. An operator's command does not wait for that turn: the engine completes its recovery first, then obeys.
/// A live stop whose last writes failed (Stopping persisted, storage gone) is owed the same way: completed by the queue
/// or by the next command.
/// </summary>
public sealed partial class EngineGrain
{
    /// <summary>The recovery this activation still owes, until a worker of the queue or a command completes it.</summary>
    private PendingRecovery? _pendingRecovery;

    public Task CompleteRecovery() => CompletePendingRecoveryAsync();

    private async Task BeginRecoveryAsync()
    {
        var persisted = Current;
        var plan = EngineLifecycle.Recover(persisted);
        if (plan == RecoveryPlan.None)
        {
            return;
        }
        LogRecovering(ConnectionId, persisted, plan);
        switch (plan)
        {
            case RecoveryPlan.CompleteStop:
                try
                {
                    await CompleteStopAsync();
                }
                catch (Exception e) when (StorageFaults.IsUnavailable(e))
                {
                    OweStop(e);
                    return;
                }
                await RecordAsync(SystemActor, "recover", EngineState.Stopping, "stop completed after restart", AuditOutcomes.Changed, null);
                return;
            case RecoveryPlan.Reinitialize:
                // Not persisted: the stored state stays what it was until the engine is Running again or fails.
                await MoveToAsync(EngineState.Initializing, persist: false);
                break;
        }
        OweRecovery(new PendingRecovery(persisted, plan));
    }

    /// <summary>Keeps <paramref name="pending"/> until it is completed, and queues it on the node's recovery queue.</summary>
    private void OweRecovery(PendingRecovery pending)
    {
        _pendingRecovery = pending;
        recoveries.Enqueue(ConnectionId);
    }

    /// <summary>Runs the queued recovery now, in this turn; kept pending (for the next try) if it throws.</summary>
    private async Task CompletePendingRecoveryAsync()
    {
        if (_pendingRecovery is not { } pending)
        {
            return;
        }
        _pendingRecovery = null;
        try
        {
            if (pending.Plan == RecoveryPlan.CompleteStop)
            {
                await CompleteStopAsync();
                await RecordAsync(SystemActor, "stop", EngineState.Stopping, "stop completed once storage took its writes", AuditOutcomes.Changed, null);
            }
            else if (pending.Plan == RecoveryPlan.Reinitialize)
            {
                await StartUpAsync(SystemActor, "recover", "recovered after restart", null, from: pending.Persisted, recovering: true);
            }
            else if (await InitializeAsync(SystemActor, "recover", null))
            {
                StartTimers(entriesPaused: true);
                ConfirmWatchdogLater();
            }
            else
            {
                await ScheduleRetryOrEscalateAsync(retryable: state.State.LastError?.Kind != "credentials-rejected");
            }
        }
        catch
        {
            _pendingRecovery = pending;
            throw;
        }
    }

    /// <summary>
    /// The watchdog's tick queues a pending recovery once more, so one the queue gave up on (storage was still failing) is
    /// tried again; if it is still waiting in the queue, the extra entry finds nothing left to do.
    /// </summary>
    private void RequeuePendingRecovery()
    {
        if (_pendingRecovery is not null)
        {
            recoveries.Enqueue(ConnectionId);
        }
    }

    private readonly record struct PendingRecovery(EngineState Persisted, RecoveryPlan Plan);
}
