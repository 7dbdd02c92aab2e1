namespace Cts.Domain.Audit;

/// <summary>
/// One append-only record of who did what to which engine or configuration (SPEC §2): a lifecycle action
/// (accepted, no-op or refused), an internal transition (actor <c>system</c>), or a config change.
/// </summary>
/// <param name="Reason">Why the caller asked: the operator's reason (or the change's description), never the refusal text.</param>
/// <param name="OutcomeDetail">What became of it beyond <see cref="Outcome"/>: why it was refused or failed; null when there is nothing to add.</param>
public sealed record AuditEntry(
    DateTimeOffset At,
    string Actor,
    string Action,
    string ConnectionId,
    string? FromState,
    string? ToState,
    string? Reason,
    string Outcome,
    string? CorrelationId,
    string? OutcomeDetail = null);

/// <summary>The outcome words audit entries use.</summary>
public static class AuditOutcomes
{
    public const string Changed = "changed";
    public const string NoOp = "no-op";
    public const string Refused = "refused";
    public const string Failed = "failed";
}
