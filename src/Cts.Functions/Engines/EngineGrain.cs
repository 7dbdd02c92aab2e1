using Cts.Domain.Audit;
using Cts.Domain.Config;
using Cts.Domain.Engines;
using Cts.Domain.Exchanges;
using Cts.Domain.Processors;
using Cts.Domain.Trading;
using Cts.Functions.Alerts;
using Cts.Functions.Live;
using Cts.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Engines;

/// <summary>
/// The durable engine of one connection: a durable entity (its persisted <see cref="EngineGrainState"/>, changed
/// only through lifecycle actions) and an eternal orchestration (three non-interleaving timers drive the
/// processors while it runs; a durable reminder brings it back after a crash). The lifecycle rules live in
/// <see cref="EngineLifecycle"/>; the cycle work in <see cref="EngineCycles"/>; this class orchestrates.
/// </summary>
[Orleans.Concurrency.MayInterleave(nameof(MayInterleave))]
public sealed partial class EngineGrain(
    [PersistentState(EngineRecords.StateName, EngineGrain.StorageName)] IPersistentState<EngineGrainState> state,
    EngineRunBuilder runs,
    SettingsStore settingsStore,
    AuditLog audit,
    AlertPublisher alerts,
    Live.EngineEventBus events,
    EngineStatusBoard board,
    EngineRecoveryQueue recoveries,
    BackgroundWriteSlots backgroundWrites,
    StorageWatch storage,
    TimeProvider time,
    IOptions<EngineOptions> options,
    ILogger<EngineGrain> logger) : Grain, IEngineGrain, IRemindable
{
    public const string StorageName = "engines";
    public const string SystemActor = "system";
    private const string WatchdogReminder = "engine-watchdog";

    private readonly EngineOptions _options = options.Value;
    private readonly List<IGrainTimer> _timers = [];
    private readonly CycleSchedule _schedule = new(time);
    private EngineCycles _cycles = null!;
    private EngineRun? _run;
    private IGrainReminder? _watchdog;

    /// <summary>Bumped whenever timers stop, so a tick already queued from an older run can never execute.</summary>
    private int _runGeneration;

    /// <summary>The grain's key, read once: the runtime builds a new string from the grain id on every read, and the cycles read it thousands of times a second.</summary>
    private string ConnectionId => _connectionId ??= this.GetPrimaryKeyString();

    private string? _connectionId;

    /// <summary>The intervals of the current run, or the host defaults before the first initialization.</summary>
    private ProcessorIntervals Intervals => _run?.Intervals ?? ProcessorIntervals.From(_options, null);

    private EngineCycleContext? Context => _run?.Context;

    private EngineState Current => Enum.Parse<EngineState>(state.State.State);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _cycles = new EngineCycles(
            [new IndicationsProcessor(time), new StrategiesProcessor(), new RealtimeProcessor()],
            time, TimeSpan.FromSeconds(_options.CycleTimeoutSeconds));
        _cycles.Restore(state.State.Health);

        await BeginRecoveryAsync();
        ResumeRetrySchedule();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Graceful shutdown and collection: the current cycle has finished (we are in our own turn); stop the
        // timers and background writes, and flush health and marks (after any write in flight) so the next
        // activation reports what this one measured.
        StopTimers();
        _writes?.Stop();
        if (_cycles is not null && (_cycles.HealthDirty || _writes?.Pending == true) && state.RecordExists)
        {
            try
            {
                await Writes.WriteNowAsync(WriteBehindAsync);
            }
            catch (Exception e)
            {
                LogFlushFailed(e, ConnectionId);
            }
        }
    }

    public Task<EngineStatus> GetStatus() => Task.FromResult(DurableStatus());

    /// <summary>
    /// While a transition's write is in flight: the status as storage last took it. Status reads interleave with the
    /// transition's turn, and until the write is done the transition has not happened (it is undone if the write fails);
    /// a client shown <c>Stopped</c> from an unfinished stop could start the engine and be refused (seen at 10,000
    /// engines, when a stop's write of Stopped was retrying and then failed).
    /// </summary>
    private EngineStatus? _statusBeforeTransition;

    /// <summary>What a read that interleaves with the engine's turns may see: never a transition storage has not taken.</summary>
    private EngineStatus DurableStatus() => _statusBeforeTransition ?? BuildStatus();

    public Task<EngineStatus> Recover() => Task.FromResult(BuildStatus());

    public async Task<EngineCommandResult> Execute(EngineCommand command)
    {
        if (!EngineActionNames.TryParse(command.Action, out var action))
        {
            return new EngineCommandResult(CommandOutcome.Conflict, BuildStatus(), $"unknown action '{command.Action}'");
        }
        // An operator does not wait behind a mass recovery: this engine finishes coming back, then obeys.
        await CompletePendingRecoveryAsync();
        var from = Current;
        var decision = EngineLifecycle.Decide(from, action);
        if (decision.Kind == DecisionKind.Refused)
        {
            var detail = $"cannot {action.ToWire()} an engine that is {from}";
            // The operator's reason stays the reason; the refusal is what became of it.
            await RecordAsync(command.Actor, action.ToWire(), from, command.Reason, AuditOutcomes.Refused, command.CorrelationId, to: from,
                detail: detail);
            return new EngineCommandResult(CommandOutcome.Conflict, BuildStatus(), detail);
        }
        if (decision.Kind == DecisionKind.NoOp)
        {
            await RecordAsync(command.Actor, action.ToWire(), from, command.Reason, AuditOutcomes.NoOp, command.CorrelationId);
            return new EngineCommandResult(CommandOutcome.Unchanged, BuildStatus());
        }

        LogAction(ConnectionId, action.ToWire(), from, command.Actor);
        if (command.Actor != SystemActor || action is EngineAction.Stop or EngineAction.Disable)
        {
            ResetRetry();
        }
        switch (action)
        {
            case EngineAction.Start:
                await StartUpAsync(command.Actor, "start", command.Reason, command.CorrelationId, from);
                return Changed();
            case EngineAction.Stop:
                await ShutDownAsync(command, command.ClosePositions);
                break;
            case EngineAction.Restart:
                await ShutDownAsync(command);
                await StartUpAsync(command.Actor, "restart", command.Reason, command.CorrelationId, from);
                return Changed();
            case EngineAction.Pause:
                await MoveToAsync(EngineState.Paused);
                Context?.EntriesPaused = true;
                break;
            case EngineAction.Resume:
                await MoveToAsync(EngineState.Running);
                Context?.EntriesPaused = false;
                break;
            case EngineAction.Enable:
            case EngineAction.Disable:
                await MoveToAsync(decision.Target);
                break;
            case EngineAction.Delete:
                // Positions are never orphaned: an engine that still holds some is not deleted, unless asked to close them first.
                var release = await ReleasePositionsAsync(command.ClosePositions);
                if (release.Blocked)
                {
                    await RecordAsync(command.Actor, "delete", from, command.Reason, AuditOutcomes.Refused, command.CorrelationId, to: from,
                        detail: release.Detail);
                    return new EngineCommandResult(CommandOutcome.Conflict, BuildStatus(), release.Detail)
                    {
                        OpenPositions = release.Open.Select(PositionView.From).ToArray(),
                    };
                }
                StopTimers();
                await RemoveWatchdogAsync();
                await RecordAsync(command.Actor, "delete", from, command.Reason, AuditOutcomes.Changed, command.CorrelationId, to: EngineState.Idle,
                    detail: release.Detail);
                _writes?.Stop();
                await Writes.WriteNowAsync(() => state.ClearStateAsync());
                state.State = new EngineGrainState();
                DeactivateOnIdle();
                return Changed();
        }
        await RecordAsync(command.Actor, action.ToWire(), from, command.Reason, AuditOutcomes.Changed, command.CorrelationId);
        return Changed();

        EngineCommandResult Changed() => new(CommandOutcome.Changed, BuildStatus());
    }

    public async Task ConfigChanged(ConfigChange change)
    {
        var current = Current;
        if (current is not (EngineState.Running or EngineState.Paused) || _pendingRecovery is not null)
        {
            return; // an engine that is not running (or not yet recovered) reads its configuration when it starts
        }
        if (change.Reasons.Length == 0)
        {
            // Nothing the engine trades with changed (a rename): it now runs with that version as it is.
            if (change.ConnectionVersion > state.State.ConnectionVersion && state.State.RestartReason is null)
            {
                state.State.ConnectionVersion = change.ConnectionVersion;
                await PersistAsync();
            }
            return;
        }
        var reason = string.Join(", ", change.Reasons);
        if ((await settingsStore.CurrentAsync()).AutoRestartOnConfigChange)
        {
            await Execute(new EngineCommand(EngineAction.Restart.ToWire(), SystemActor, $"configuration changed: {reason}", change.CorrelationId));
            return;
        }
        var reasons = (state.State.RestartReason?.Split(", ") ?? []).Concat(change.Reasons).Distinct(StringComparer.Ordinal);
        state.State.RestartReason = string.Join(", ", reasons);
        state.State.UpdatedAt = time.GetUtcNow();
        await PersistAsync();
    }

    /// <summary>
    /// Orleans' <see cref="Orleans.Concurrency.MayInterleaveAttribute"/> callback: the watchdog's reminder ticks
    /// interleave with the engine's turns. A tick exists to activate the engine, which its delivery has done; queued
    /// behind a cycle that waits on storage, ticks expired instead (17,000 in one 10-minute soak at 10,000 engines).
    /// </summary>
    public static bool MayInterleave(Orleans.Serialization.Invocation.IInvokable request) =>
        request.GetInterfaceType() == typeof(IRemindable);

    /// <summary>
    /// Interleaves (see <see cref="MayInterleave"/>), so it changes nothing itself: it re-queues a pending recovery (in
    /// memory), and an engine that no longer needs its watchdog drops it in a turn of its own, after checking again.
    /// </summary>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // The reminder exists to activate the engine after a crash; activation has already recovered it.
        // An engine with nothing left to recover drops the reminder so idle engines cost nothing.
        if (reminderName == WatchdogReminder && !NeedsWatchdog(Current))
        {
            RemoveWatchdogSoon();
        }
        RequeuePendingRecovery();
        return Task.CompletedTask;
    }

    private void RemoveWatchdogSoon() => RunOnceLater(TimeSpan.Zero, async () =>
    {
        if (!NeedsWatchdog(Current))
        {
            await RemoveWatchdogAsync();
        }
    });

    /// <summary>Runs <paramref name="work"/> once after <paramref name="due"/>, in a turn of its own (not interleaving), without keeping the engine alive.</summary>
    private void RunOnceLater(TimeSpan due, Func<Task> work)
    {
        IGrainTimer? once = null;
        once = this.RegisterGrainTimer(async _ =>
        {
            once?.Dispose();
            await work();
        }, new GrainTimerCreationOptions
        {
            DueTime = due,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = false,
        });
    }

    /// <summary>Initializing → Running (or Error): loads the connection, checks the exchange, starts the timers.</summary>
    private async Task StartUpAsync(string actor, string action, string? reason, string? correlationId, EngineState? from = null,
        bool recovering = false)
    {
        var origin = from ?? Current;
        if (recovering)
        {
            // Already Initializing (in memory) since the activation queued this recovery.
            ConfirmWatchdogLater();
        }
        else
        {
            await MoveToAsync(EngineState.Initializing);
            await EnsureWatchdogAsync();
        }
        if (!await InitializeAsync(actor, action, correlationId))
        {
            await RecordAsync(actor, action, origin, reason, AuditOutcomes.Failed, correlationId, detail: state.State.LastError?.Message);
            await ScheduleRetryOrEscalateAsync(retryable: state.State.LastError?.Kind != "credentials-rejected");
            return;
        }
        state.State.LastError = null;
        state.State.RestartReason = null;
        state.State.Retry = null;
        state.State.Escalated = false;
        await MoveToAsync(EngineState.Running);
        StartTimers(entriesPaused: false);
        await RecordAsync(actor, action, origin, reason, AuditOutcomes.Changed, correlationId);
    }

    /// <summary>Builds the cycle context from the connection; on failure the engine is moved to Error and false returned.</summary>
    private async Task<bool> InitializeAsync(string actor, string action, string? correlationId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.CycleTimeoutSeconds));
            _run = Attach(await runs.BuildAsync(ConnectionId, timeout.Token));
            state.State.ConfigVersion = _run.PresetVersion;
            state.State.ConnectionVersion = _run.ConnectionVersion;
            return true;
        }
        catch (Exception e) when (e is ExchangeException or InitializationException or OperationCanceledException or Azure.RequestFailedException)
        {
            var kind = e is ExchangeException { Kind: ExchangeFaultKind.CredentialsRejected } ? "credentials-rejected" : "initialization-failed";
            LogInitializationFailed(e, ConnectionId, kind);
            state.State.LastError = new EngineError(kind, e.Message, time.GetUtcNow());
            StopTimers();
            await MoveToAsync(EngineState.Error);
            return false;
        }
    }

    /// <summary>
    /// Stopping → Stopped: after Stopping is persisted no cycle of this engine runs again. If storage fails after that,
    /// the caller gets the error and the rest of the stop is owed, like a stop a crash interrupted (SPEC §3): the node's
    /// recovery queue completes it, and so does the engine's next command, before anything else. The audit trail says
    /// who asked, that it failed, and what is owed.
    /// </summary>
    private async Task ShutDownAsync(EngineCommand command, bool closePositions = false)
    {
        var from = Current;
        await MoveToAsync(EngineState.Stopping);
        StopTimers();
        if (closePositions && Context is not null)
        {
            await CloseOpenPositionsAsync(ExitReason.Shutdown);
        }
        try
        {
            await CompleteStopAsync();
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e))
        {
            OweStop(e);
            await RecordAsync(command.Actor, command.Action, from, command.Reason, AuditOutcomes.Failed, command.CorrelationId,
                detail: "storage refused the write of Stopped; nothing cycles, and the stop completes once storage takes it");
            throw;
        }
    }

    /// <summary>Storage refused the end of a stop: degraded, and the rest of the stop owed to the recovery queue.</summary>
    private void OweStop(Exception cause)
    {
        EnterDegraded(cause);
        OweRecovery(new PendingRecovery(EngineState.Stopping, RecoveryPlan.CompleteStop));
    }

    /// <summary>The end of a stop, once nothing cycles: the marks, then Stopped, then no watchdog.</summary>
    private async Task CompleteStopAsync()
    {
        await Writes.WriteNowAsync(FlushMarksAsync);
        await MoveToAsync(EngineState.Stopped);
        await RemoveWatchdogAsync();
    }

    private void StartTimers(bool entriesPaused)
    {
        StopTimers();
        Context!.EntriesPaused = entriesPaused;
        var generation = _runGeneration;
        foreach (var kind in Enum.GetValues<ProcessorKind>())
        {
            var interval = Intervals.Of(kind);
            var firstTick = FirstTick(kind, interval);
            _schedule.Armed(kind, firstTick);
            _timers.Add(this.RegisterGrainTimer(
                (k, ct) => OnTickAsync(k, generation, ct), kind,
                new GrainTimerCreationOptions
                {
                    DueTime = firstTick,
                    Period = interval,
                    Interleave = false,
                    KeepAlive = true,
                }));
        }
        // Health flushes are spread over the period like the cycles, so engines started together do not all write together.
        var flush = TimeSpan.FromSeconds(_options.HealthFlushSeconds);
        _timers.Add(this.RegisterGrainTimer(_ => FlushHealthIfDueAsync(generation),
            new GrainTimerCreationOptions { DueTime = flush + Spread(FlushSlot, flush), Period = flush, Interleave = false, KeepAlive = true }));
    }

    private void StopTimers()
    {
        _runGeneration++;
        foreach (var timer in _timers)
        {
            timer.Dispose();
        }
        _timers.Clear();
        CancelRetry();
    }

    /// <summary>One timer tick: records how late it is, runs the cycle, and notes when the next tick is due.</summary>
    private async Task OnTickAsync(ProcessorKind kind, int generation, CancellationToken cancellationToken)
    {
        if (generation == _runGeneration)
        {
            _schedule.Fired(kind);
        }
        try
        {
            await RunCycleAsync(kind, generation, cancellationToken);
        }
        finally
        {
            _schedule.Armed(kind, Intervals.Of(kind));
        }
    }

    private async Task RunCycleAsync(ProcessorKind kind, int generation, CancellationToken cancellationToken)
    {
        if (generation != _runGeneration || Context is null || !EngineLifecycle.HasTimers(Current))
        {
            return;
        }
        // No new positions while the state cannot be persisted (a write failed, or one is stalled on storage).
        Context.CanPersist = !StorageDegraded;
        // Nor while this node brings engines back: their open positions are unwatched until they are, and their
        // recoveries' reads and writes go first (seen at 10,000 engines: new entries took storage from the recovery).
        Context.EntriesHeld = recoveries.Busy;
        // Not the timer's token: a cycle that has begun runs to its end (bounded by the cycle timeout), so shutdown
        // waits for it instead of cutting an order between "sent" and "recorded".
        var (health, failure) = await _cycles.RunAsync(kind, Context, CancellationToken.None);
        PublishHealth();
        if (failure is JournalUnavailableException)
        {
            EnterDegraded(failure);
            return; // a storage outage is reported as degraded, not escalated as an engine failure
        }
        if (failure is OrderNotSentException notSent)
        {
            // The venue's rules refused the order before it was sent: the reason is in the health and the audit trail.
            await RecordAsync(SystemActor, "order-not-sent", Current, notSent.Message, AuditOutcomes.Refused, null);
        }
        var rejected = failure is ExchangeException { Kind: ExchangeFaultKind.CredentialsRejected };
        if (rejected || health.ConsecutiveFailures >= _run!.Settings.MaxConsecutiveCycleFailures)
        {
            var from = Current;
            StopTimers();
            state.State.LastError = rejected
                ? new EngineError("credentials-rejected", failure!.Message, time.GetUtcNow())
                : new EngineError("cycle-failures", $"{kind.ToWire()} failed {health.ConsecutiveFailures} times in a row: {health.LastError}",
                    time.GetUtcNow());
            await MoveToAsync(EngineState.Error);
            await RecordAsync(SystemActor, state.State.LastError.Kind, from, state.State.LastError.Message, AuditOutcomes.Changed, null);
            // Refused credentials are not retried: retrying cannot help until an operator changes them.
            await ScheduleRetryOrEscalateAsync(retryable: !rejected);
        }
    }

    /// <summary>
    /// The health flush timer: when the health is due (<see cref="EngineCycles.HealthFlushDue"/>) asks for a background
    /// write and returns at once, so no cycle ever waits on it.
    /// </summary>
    private Task FlushHealthIfDueAsync(int generation)
    {
        // While storage is degraded every flush asks: the write that goes through is the catch-up that clears it.
        if (generation == _runGeneration && (StorageDegraded || _cycles.HealthFlushDue(TimeSpan.FromSeconds(_options.HealthRoutineFlushSeconds))))
        {
            Writes.Request();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Persists a new lifecycle state (with the current health) before anything else happens. With
    /// <paramref name="persist"/> false (recovery's <c>Initializing</c>: storage already holds the active state it
    /// recovers from, and a crash now recovers the same way) only the engine and the live stream see it.
    /// </summary>
    private async Task MoveToAsync(EngineState next, bool persist = true)
    {
        var now = time.GetUtcNow();
        var (previous, since, updated) = (state.State.State, state.State.Since, state.State.UpdatedAt);
        void Apply()
        {
            state.State.State = next.Name();
            state.State.Since = now;
            state.State.UpdatedAt = now;
            Snapshot();
        }
        if (persist)
        {
            // Changed and written in one turn of the write gate, so no background write can store a transition that then
            // fails. Not persisted, not happened: the caller gets the error and the engine stays where it was.
            _statusBeforeTransition = BuildStatus();
            try
            {
                await PersistAsync(announce: false, apply: Apply,
                    undo: () => (state.State.State, state.State.Since, state.State.UpdatedAt) = (previous, since, updated));
            }
            finally
            {
                _statusBeforeTransition = null;
            }
            _cycles.MarkFlushed();
        }
        else
        {
            Apply();
        }
        events.Publish(EngineEventTypes.State, ConnectionId, BuildStatus());
    }

    private async Task RecordAsync(string actor, string action, EngineState from, string? reason, string outcome, string? correlationId,
        EngineState? to = null, string? detail = null)
    {
        var entry = new AuditEntry(time.GetUtcNow(), actor, action, ConnectionId, from.Name(), (to ?? Current).Name(),
            reason, outcome, correlationId, detail);
        if (StorageDegraded)
        {
            // Storage is down or stalled: kept in order behind the others and written by the catch-up, not waited for here.
            _pendingAudit.Enqueue(entry);
            Writes.Request();
            return;
        }
        try
        {
            await audit.AppendAsync(entry);
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e))
        {
            // Kept and written when storage returns: the audit trail does not lose what happened during an outage.
            LogAuditFailed(e, ConnectionId, action);
            _pendingAudit.Enqueue(entry);
            EnterDegraded(e);
        }
    }

    private async Task EnsureWatchdogAsync()
    {
        _watchdog ??= await this.RegisterOrUpdateReminder(WatchdogReminder,
            TimeSpan.FromMinutes(_options.WatchdogMinutes), TimeSpan.FromMinutes(_options.WatchdogMinutes));
    }

    /// <summary>
    /// After a recovery: the watchdog was registered when the engine started and survives crashes, so it is confirmed
    /// (registered again if somehow gone) at a spread moment within one watchdog period rather than by every engine in
    /// the minute after a restart, when storage is busiest.
    /// </summary>
    private void ConfirmWatchdogLater() => RunOnceLater(Spread(WatchdogSlot, TimeSpan.FromMinutes(_options.WatchdogMinutes)), async () =>
    {
        if (NeedsWatchdog(Current))
        {
            await EnsureWatchdogAsync();
        }
    });

    private async Task RemoveWatchdogAsync()
    {
        var reminder = _watchdog ?? await this.GetReminder(WatchdogReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
        _watchdog = null;
    }

    private bool NeedsWatchdog(EngineState s) => EngineLifecycle.IsActive(s) || RetryPending;

    /// <summary>Spreads first ticks over one interval by a stable hash, so engines started together do not tick together.</summary>
    private TimeSpan FirstTick(ProcessorKind kind, TimeSpan interval) => Spread((ulong)kind, interval);

    private const ulong FlushSlot = 1000;
    private const ulong WatchdogSlot = 1001;

    /// <summary>A fixed offset within <paramref name="interval"/> for this engine and <paramref name="slot"/>: engines' timers spread evenly.</summary>
    private TimeSpan Spread(ulong slot, TimeSpan interval) => Cts.Domain.Backtesting.TimerSpread.Offset(ConnectionId, slot, interval);

    /// <summary>Copies what the status reports into the persisted state, so a stopped engine still reports it.</summary>
    private void Snapshot()
    {
        state.State.Health = _cycles.Snapshot();
        if (Context is { } context)
        {
            state.State.OpenPositions = context.Trader.Book.OpenPositions.Count;
            state.State.RealizedPnl = context.Trader.Book.RealizedPnl;
        }
    }

    private EngineStatus BuildStatus() => StatusFields().ToStatus();

    /// <summary>What the status reports, read from the state, the run and the cycles (on the stack: see <see cref="EngineStatusFields"/>).</summary>
    private EngineStatusFields StatusFields()
    {
        var s = state.State;
        var trader = Context?.Trader;
        var current = Current;
        return new EngineStatusFields
        {
            ConnectionId = ConnectionId,
            State = current.Name(),
            AllowedActions = AllowedActionNames(current),
            Since = s.Since,
            ConfigVersion = s.ConfigVersion,
            ConnectionVersion = s.ConnectionVersion,
            RestartReason = s.RestartReason,
            LastError = s.LastError,
            Degraded = StorageDegraded ? "storage" : null,
            Retry = s.Retry,
            Escalated = s.Escalated,
            Cycles = _cycles,
            Intervals = Intervals,
            OpenPositions = trader?.Book.OpenPositions.Count ?? s.OpenPositions,
            RealizedPnl = trader?.Book.RealizedPnl ?? s.RealizedPnl,
            UnrealizedPnl = trader?.UnrealizedPnl(Context!.Marks) ?? 0m,
            UpdatedAt = s.UpdatedAt,
        };
    }

    [LoggerMessage(LogLevel.Information, "Engine {ConnectionId}: {Action} from {FromState} by {Actor}")]
    private partial void LogAction(string connectionId, string action, EngineState fromState, string actor);

    [LoggerMessage(LogLevel.Information, "Engine {ConnectionId}: recovering from {PersistedState} ({Plan})")]
    private partial void LogRecovering(string connectionId, EngineState persistedState, RecoveryPlan plan);

    [LoggerMessage(LogLevel.Warning, "Engine {ConnectionId}: initialization failed ({Kind})")]
    private partial void LogInitializationFailed(Exception exception, string connectionId, string kind);

    [LoggerMessage(LogLevel.Warning, "Engine {ConnectionId}: health flush failed")]
    private partial void LogFlushFailed(Exception exception, string connectionId);

    [LoggerMessage(LogLevel.Error, "Engine {ConnectionId}: audit entry for {Action} could not be written")]
    private partial void LogAuditFailed(Exception exception, string connectionId, string action);
}
