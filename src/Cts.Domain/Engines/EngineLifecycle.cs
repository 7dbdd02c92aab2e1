namespace Cts.Domain.Engines;

/// <summary>
/// The engine state machine of SPEC §3 as data: which action is allowed in which state, which are no-ops,
/// and where the internal events (initialization result, credential rejection, failed cycles, recovery after a
/// crash) lead. Pure: the grain asks, then persists and acts.
/// </summary>
public static class EngineLifecycle
{
    private static readonly EngineState[] StartPath = [EngineState.Initializing, EngineState.Running];
    private static readonly EngineState[] StopPath = [EngineState.Stopping, EngineState.Stopped];
    private static readonly EngineState[] RestartPath =
        [EngineState.Stopping, EngineState.Stopped, EngineState.Initializing, EngineState.Running];

    /// <summary>The transition table: action → (states it is allowed from, the path it takes).</summary>
    private static readonly Dictionary<EngineAction, (EngineState[] From, EngineState[] Path)> Transitions = new()
    {
        [EngineAction.Enable] = ([EngineState.Idle], [EngineState.Enabled]),
        [EngineAction.Disable] = ([EngineState.Enabled, EngineState.Stopped, EngineState.Error], [EngineState.Idle]),
        [EngineAction.Start] = ([EngineState.Enabled, EngineState.Stopped, EngineState.Error], StartPath),
        [EngineAction.Pause] = ([EngineState.Running], [EngineState.Paused]),
        [EngineAction.Resume] = ([EngineState.Paused], [EngineState.Running]),
        [EngineAction.Stop] = ([EngineState.Initializing, EngineState.Running, EngineState.Paused, EngineState.Error], StopPath),
        [EngineAction.Restart] = ([EngineState.Running, EngineState.Paused, EngineState.Error], RestartPath),
        // Deleting ends at Idle: the record is removed, and a connection created again with the same id starts fresh.
        [EngineAction.Delete] = ([EngineState.Idle, EngineState.Enabled, EngineState.Stopped], [EngineState.Idle]),
    };

    /// <summary>Accepted and changing nothing: the caller gets 200 with <c>changed: false</c>.</summary>
    private static readonly Dictionary<EngineAction, EngineState[]> NoOps = new()
    {
        [EngineAction.Start] = [EngineState.Initializing, EngineState.Running],
        [EngineAction.Stop] = [EngineState.Enabled, EngineState.Stopped],
    };

    /// <summary>Decides one action in one state.</summary>
    public static LifecycleDecision Decide(EngineState from, EngineAction action)
    {
        if (Transitions.TryGetValue(action, out var rule) && rule.From.Contains(from))
        {
            return new LifecycleDecision(from, action, DecisionKind.Transition, rule.Path);
        }
        if (NoOps.TryGetValue(action, out var noOpStates) && noOpStates.Contains(from))
        {
            return new LifecycleDecision(from, action, DecisionKind.NoOp, []);
        }
        return new LifecycleDecision(from, action, DecisionKind.Refused, []);
    }

    /// <summary>The actions that change the engine from <paramref name="state"/>, in declaration order.</summary>
    public static IReadOnlyList<EngineAction> AllowedActions(EngineState state) =>
        Enum.GetValues<EngineAction>().Where(a => Decide(state, a).IsTransition).ToArray();

    /// <summary>Where an internal event leads from <paramref name="from"/>, or null when the event does not apply there.</summary>
    public static EngineState? OnEvent(EngineState from, EngineEvent engineEvent) => (engineEvent, from) switch
    {
        (EngineEvent.InitializationSucceeded, EngineState.Initializing) => EngineState.Running,
        (EngineEvent.InitializationFailed, EngineState.Initializing) => EngineState.Error,
        (EngineEvent.CredentialsRejected, EngineState.Initializing or EngineState.Running or EngineState.Paused) => EngineState.Error,
        (EngineEvent.CycleFailuresExceeded, EngineState.Running or EngineState.Paused) => EngineState.Error,
        (EngineEvent.RetryDue, EngineState.Error) => EngineState.Initializing,
        (EngineEvent.StopCompleted, EngineState.Stopping) => EngineState.Stopped,
        _ => null,
    };

    /// <summary>
    /// What an engine found in <paramref name="persisted"/> after a crash or restart does, without any request
    /// (SPEC §3 "Durability"): Initializing and Running come back Running through Initializing, Paused stays
    /// Paused with its timers, Stopping completes to Stopped, everything else stays as it was.
    /// </summary>
    public static RecoveryPlan Recover(EngineState persisted) => persisted switch
    {
        EngineState.Initializing or EngineState.Running => RecoveryPlan.Reinitialize,
        EngineState.Paused => RecoveryPlan.ResumePaused,
        EngineState.Stopping => RecoveryPlan.CompleteStop,
        _ => RecoveryPlan.None,
    };

    /// <summary>True in the states whose timers run (the engine is "active" and must come back after a crash).</summary>
    public static bool HasTimers(EngineState state) => state is EngineState.Running or EngineState.Paused;

    /// <summary>True while the engine must not be deleted: it is doing, or about to do, work.</summary>
    public static bool IsActive(EngineState state) =>
        state is EngineState.Initializing or EngineState.Running or EngineState.Paused or EngineState.Stopping;
}
