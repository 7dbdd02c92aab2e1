namespace Cts.Functions.Engines;

/// <summary>The status document of SPEC §4, as the engine reports it.</summary>
[GenerateSerializer, Immutable]
public sealed record EngineStatus
{
    [Id(0)] public required string ConnectionId { get; init; }
    [Id(1)] public required string State { get; init; }
    [Id(2)] public required string[] AllowedActions { get; init; }
    [Id(3)] public DateTimeOffset? Since { get; init; }
    [Id(4)] public long ConfigVersion { get; init; }
    [Id(5)] public long ConnectionVersion { get; init; }
    [Id(6)] public bool RestartRequired { get; init; }
    [Id(7)] public string? RestartReason { get; init; }
    [Id(8)] public EngineError? LastError { get; init; }
    [Id(9)] public RetrySchedule? Retry { get; init; }
    [Id(10)] public bool Escalated { get; init; }
    [Id(11)] public required Dictionary<string, ProcessorHealthView> Processors { get; init; }
    [Id(12)] public int OpenPositions { get; init; }
    [Id(13)] public decimal RealizedPnl { get; init; }
    [Id(14)] public decimal UnrealizedPnl { get; init; }
    [Id(15)] public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary><c>storage</c> while the engine cannot persist: it opens no new positions and keeps protecting open ones.</summary>
    [Id(16)] public string? Degraded { get; init; }
}

/// <summary>Why the engine is in Error: a machine-readable kind and a message for the operator.</summary>
[GenerateSerializer, Immutable]
public sealed record EngineError(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Message,
    [property: Id(2)] DateTimeOffset At);

/// <summary>The automatic retry schedule of an engine in Error.</summary>
[GenerateSerializer, Immutable]
public sealed record RetrySchedule(
    [property: Id(0)] int Attempt,
    [property: Id(1)] int MaxAttempts,
    [property: Id(2)] DateTimeOffset? NextAttemptAt);

/// <summary>Processor health as SPEC §2 names it.</summary>
[GenerateSerializer, Immutable]
public readonly record struct ProcessorHealthView
{
    [Id(0)] public int IntervalMs { get; init; }
    [Id(1)] public long Runs { get; init; }
    [Id(2)] public long Successes { get; init; }
    [Id(3)] public long Failures { get; init; }
    [Id(4)] public double SuccessRate { get; init; }
    [Id(5)] public int ConsecutiveFailures { get; init; }
    [Id(6)] public double? LastLatencyMs { get; init; }
    [Id(7)] public double? P95LatencyMs { get; init; }
    [Id(8)] public DateTimeOffset? LastRunAt { get; init; }
    [Id(9)] public DateTimeOffset? LastSuccessAt { get; init; }
    [Id(10)] public string? LastError { get; init; }
}
