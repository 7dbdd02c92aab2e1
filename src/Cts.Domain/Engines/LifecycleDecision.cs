namespace Cts.Domain.Engines;

/// <summary>What the lifecycle says about one action in one state.</summary>
public enum DecisionKind
{
    /// <summary>The action changes the state; <see cref="LifecycleDecision.Path"/> lists the states passed through.</summary>
    Transition,
    /// <summary>The action is accepted and changes nothing (e.g. start while Running): 200 with <c>changed: false</c>.</summary>
    NoOp,
    /// <summary>The action is not allowed in this state: 409 with the allowed actions.</summary>
    Refused,
}

/// <summary>The lifecycle's answer to "may <paramref name="Action"/> happen in <paramref name="From"/>?".</summary>
/// <param name="Path">The states the engine passes through, in order; the last one is where it settles when all goes well.</param>
public sealed record LifecycleDecision(EngineState From, EngineAction Action, DecisionKind Kind, IReadOnlyList<EngineState> Path)
{
    public bool IsTransition => Kind == DecisionKind.Transition;

    /// <summary>The state the action settles in when it succeeds (the current one for no-ops and refusals).</summary>
    public EngineState Target => Path.Count == 0 ? From : Path[^1];
}
