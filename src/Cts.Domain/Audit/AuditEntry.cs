namespace Cts.Domain.Audit;

/// <summary>
/// One append-only record of who did what to which engine or configuration (SPEC §2): a lifecycle action
/// (accepted, no-op or refused), an internal transition (actor <c>system</c>), or a config change.
/// </summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    string Actor,
    string Action,
    string ConnectionId,
    string? FromState,
    string? ToState,
    string? Reason,
    string Outcome,
    string? CorrelationId);

/// <summary>The outcome words audit entries use.</summary>
public static class AuditOutcomes
{
    public const string Changed = "changed";
    public const string NoOp = "no-op";
    public const string Refused = "refused";
    public const string Failed = "failed";
}
