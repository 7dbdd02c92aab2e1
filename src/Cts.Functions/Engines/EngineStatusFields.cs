namespace Cts.Functions.Engines;

/// <summary>
/// An engine's status as the engine holds it, before any status object exists: what <see cref="ToStatus"/> builds an
/// <see cref="EngineStatus"/> from for a caller, and what <see cref="StatusJson.Write(in EngineStatusFields)"/> writes
/// as the same document for the status board, which needs only the bytes. On the stack: a running engine reports
/// its status every second, and building the status, its processors' dictionary and views for that was ~6 MB/s at
/// 10,000 engines, a third of the node's allocation.
/// </summary>
public readonly ref struct EngineStatusFields
{
    public required string ConnectionId { get; init; }
    public required string State { get; init; }
    public required string[] AllowedActions { get; init; }
    public DateTimeOffset? Since { get; init; }
    public long ConfigVersion { get; init; }
    public long ConnectionVersion { get; init; }
    public string? RestartReason { get; init; }
    public EngineError? LastError { get; init; }
    public RetrySchedule? Retry { get; init; }
    public bool Escalated { get; init; }

    /// <summary>The processors' health, viewed at <see cref="Intervals"/>.</summary>
    public required EngineCycles Cycles { get; init; }

    public required ProcessorIntervals Intervals { get; init; }
    public int OpenPositions { get; init; }
    public decimal RealizedPnl { get; init; }
    public decimal UnrealizedPnl { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary><c>storage</c> while the engine cannot persist, else null.</summary>
    public string? Degraded { get; init; }

    public EngineStatus ToStatus() => new()
    {
        ConnectionId = ConnectionId,
        State = State,
        AllowedActions = AllowedActions,
        Since = Since,
        ConfigVersion = ConfigVersion,
        ConnectionVersion = ConnectionVersion,
        RestartRequired = RestartReason is not null,
        RestartReason = RestartReason,
        LastError = LastError,
        Degraded = Degraded,
        Retry = Retry,
        Escalated = Escalated,
        Processors = Cycles.View(Intervals),
        OpenPositions = OpenPositions,
        RealizedPnl = RealizedPnl,
        UnrealizedPnl = UnrealizedPnl,
        UpdatedAt = UpdatedAt,
    };
}
