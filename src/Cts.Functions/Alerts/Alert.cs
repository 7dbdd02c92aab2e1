namespace Cts.Functions.Alerts;

/// <summary>Something an operator must act on: an engine that gave up retrying, credentials the venue refused.</summary>
[GenerateSerializer, Immutable]
public sealed record Alert(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string ConnectionId,
    [property: Id(2)] string Kind,
    [property: Id(3)] string Message,
    [property: Id(4)] string Severity = "critical");
