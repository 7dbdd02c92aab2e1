using Orleans.Concurrency;

namespace Cts.Functions.Engines;

/// <summary>
/// The read-only "durable dashboard" side of an engine (implemented by <see cref="EngineGrain"/>, same key): what an ops
/// person needs to answer "what is this engine doing and why" beyond its status document.
/// </summary>
public interface IEngineInspector : IGrainWithStringKey
{
    /// <summary>The engine's inner state: timers and when they are due, its watchdog, its node, its retry plan. Interleaves, so a stuck action does not hide it.</summary>
    [AlwaysInterleave]
    Task<EngineInspection> Inspect();
}

/// <summary>What <see cref="IEngineInspector.Inspect"/> reports.</summary>
[GenerateSerializer, Immutable]
public sealed record EngineInspection
{
    [Id(0)] public required EngineStatus Status { get; init; }

    /// <summary>The node (silo address) the engine is activated on.</summary>
    [Id(1)] public required string Node { get; init; }
    [Id(2)] public required IReadOnlyList<ProcessorInspection> Processors { get; init; }
    [Id(3)] public required WatchdogView Watchdog { get; init; }

    /// <summary>The automatic retry plan as the settings define it now: the delay before each attempt.</summary>
    [Id(4)] public required IReadOnlyList<RetryStep> RetryPlan { get; init; }

    /// <summary>Whether the engine's processor timers are armed (Running or Paused).</summary>
    [Id(5)] public bool TimersArmed { get; init; }

    /// <summary>When the engine was inspected (the node's clock).</summary>
    [Id(6)] public DateTimeOffset At { get; init; }
}

/// <summary>One processor: its cadence, when its next tick is due, and its last error.</summary>
[GenerateSerializer, Immutable]
public sealed record ProcessorInspection(
    [property: Id(0)] string Name,
    [property: Id(1)] int IntervalMs,
    [property: Id(2)] DateTimeOffset? NextDueAt,
    [property: Id(3)] DateTimeOffset? LastRunAt,
    [property: Id(4)] DateTimeOffset? LastSuccessAt,
    [property: Id(5)] long Runs,
    [property: Id(6)] long Failures,
    [property: Id(7)] int ConsecutiveFailures,
    [property: Id(8)] string? LastError);

/// <summary>The crash-recovery reminder: whether it exists, its period and when it next fires.</summary>
[GenerateSerializer, Immutable]
public sealed record WatchdogView(
    [property: Id(0)] bool Exists,
    [property: Id(1)] double? PeriodSeconds,
    [property: Id(2)] DateTimeOffset? NextAt);

/// <summary>One automatic retry: its number, the delay before it and, for the one scheduled, when it is due.</summary>
[GenerateSerializer, Immutable]
public sealed record RetryStep(
    [property: Id(0)] int Attempt,
    [property: Id(1)] double DelaySeconds,
    [property: Id(2)] DateTimeOffset? DueAt);
