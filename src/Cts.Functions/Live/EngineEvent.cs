namespace Cts.Functions.Live;

/// <summary>One event of the live stream: <c>engine-state</c>, <c>engine-health</c>, <c>position-opened</c>, <c>position-closed</c> or <c>alert</c>.</summary>
public sealed record EngineEvent(long Id, string Type, string ConnectionId, DateTimeOffset At, object Data);
