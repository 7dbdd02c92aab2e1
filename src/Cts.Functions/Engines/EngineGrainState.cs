using Cts.Functions.Storage;

namespace Cts.Functions.Engines;

/// <summary>
/// What an engine persists: its lifecycle state and what it needs to report true status after a restart.
/// Written on every transition and when health is flushed, never on every cycle.
/// </summary>
[GenerateSerializer]
public sealed class EngineGrainState : ITableProjection
{
    /// <summary>The lifecycle state's name (a string, so old records stay readable if states are added).</summary>
    [Id(0)] public string State { get; set; } = nameof(Cts.Domain.Engines.EngineState.Idle);
    [Id(1)] public DateTimeOffset? Since { get; set; }
    [Id(2)] public long ConnectionVersion { get; set; }
    [Id(3)] public long ConfigVersion { get; set; }
    [Id(4)] public EngineError? LastError { get; set; }
    [Id(5)] public RetrySchedule? Retry { get; set; }
    [Id(6)] public bool Escalated { get; set; }
    [Id(7)] public Dictionary<string, ProcessorHealthRecord> Health { get; set; } = new(StringComparer.Ordinal);
    [Id(8)] public DateTimeOffset? UpdatedAt { get; set; }
    [Id(9)] public string? RestartReason { get; set; }

    /// <summary>Last known trading figures, for the status of an engine that is not running.</summary>
    [Id(10)] public int OpenPositions { get; set; }
    [Id(11)] public decimal RealizedPnl { get; set; }

    /// <summary>The columns the status-all query and the boot scan filter on.</summary>
    public IReadOnlyDictionary<string, object?> ProjectColumns() => new Dictionary<string, object?>
    {
        ["State"] = State,
        ["Since"] = Since,
        ["ConnectionVersion"] = ConnectionVersion,
        // The boot scan also wakes engines in Error whose automatic retry is still scheduled.
        ["RetryPending"] = State == nameof(Cts.Domain.Engines.EngineState.Error) && !Escalated && Retry?.NextAttemptAt is not null,
    };
}

/// <summary>Persisted processor counters (the latency window is not persisted; p95 restarts with the activation).</summary>
[GenerateSerializer]
public sealed record ProcessorHealthRecord(
    [property: Id(0)] long Runs,
    [property: Id(1)] long Successes,
    [property: Id(2)] long Failures,
    [property: Id(3)] int ConsecutiveFailures,
    [property: Id(4)] double? LastLatencyMs,
    [property: Id(5)] DateTimeOffset? LastRunAt,
    [property: Id(6)] DateTimeOffset? LastSuccessAt,
    [property: Id(7)] string? LastError);
