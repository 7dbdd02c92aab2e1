using Cts.Domain.Audit;

namespace Cts.Functions.Api;

/// <summary>Audit entries for configuration changes made through the API.</summary>
public static class AuditEntries
{
    /// <summary>A config change by the caller; <paramref name="connectionId"/> is empty for documents not tied to a connection.</summary>
    public static AuditEntry ConfigChange(TimeProvider time, HttpContext http, string action, string? connectionId, string reason,
        string outcome = AuditOutcomes.Changed) =>
        new(time.GetUtcNow(), ApiCaller.Actor(http), action, connectionId ?? "", null, null, reason, outcome, ApiCaller.CorrelationId(http));
}
