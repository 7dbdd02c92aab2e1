namespace Cts.Functions.Engines;

/// <summary>A lifecycle action with who asked for it and why (recorded in the audit trail).</summary>
[GenerateSerializer, Immutable]
public sealed record EngineCommand(
    [property: Id(0)] string Action,
    [property: Id(1)] string Actor,
    [property: Id(2)] string? Reason = null,
    [property: Id(3)] string? CorrelationId = null,
    [property: Id(4)] bool ClosePositions = false);

/// <summary>A change to an engine's connection or preset that a running engine does not pick up by itself.</summary>
[GenerateSerializer, Immutable]
public sealed record ConfigChange(
    [property: Id(0)] string[] Reasons,
    [property: Id(1)] string Actor,
    [property: Id(2)] string? CorrelationId = null,
    [property: Id(3)] long ConnectionVersion = 0);

/// <summary>How an engine answered a command.</summary>
public enum CommandOutcome
{
    /// <summary>The engine moved; <see cref="EngineCommandResult.Status"/> shows where it settled.</summary>
    Changed,
    /// <summary>Accepted, nothing to do (start while Running, stop while Stopped).</summary>
    Unchanged,
    /// <summary>Not allowed in the current state: a 409 with the allowed actions.</summary>
    Conflict,
}

[GenerateSerializer, Immutable]
public sealed record EngineCommandResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] EngineStatus Status,
    [property: Id(2)] string? Detail = null)
{
    /// <summary>For a refused <c>delete</c>: the open positions that keep the engine (and its connection) from going.</summary>
    [Id(3)] public PositionView[]? OpenPositions { get; init; }
}
