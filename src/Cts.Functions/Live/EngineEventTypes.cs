namespace Cts.Functions.Live;

/// <summary>The types of the live events (the SSE <c>event:</c> field), in one place for publishers and readers.</summary>
public static class EngineEventTypes
{
    /// <summary>A lifecycle transition; data: the status document.</summary>
    public const string State = "engine-state";

    /// <summary>The status document at most once a second while running and after any other state write; not replayed.</summary>
    public const string Health = "engine-health";

    public const string PositionOpened = "position-opened";
    public const string PositionClosed = "position-closed";
    public const string Alert = "alert";
    public const string ConnectionCreated = "connection-created";
    public const string ConnectionDeleted = "connection-deleted";

    /// <summary>
    /// First event of a stream whose <c>Last-Event-ID</c> the replay window cannot bring up to date: reload status-all
    /// (<c>GET /api/engines</c>); the replay of what the window holds follows. Not published on the bus.
    /// </summary>
    public const string Reset = "reset";

    /// <summary>A backtest's progress (about once a second while it runs) and its end; data: id, status, progress, simulatedTime, trades.</summary>
    public const string BacktestProgress = "backtest-progress";
}
