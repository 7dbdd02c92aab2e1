using Cts.Domain.Connections;
using Cts.Functions.Api.OpenApi;
using Cts.Functions.Security;
using Cts.Functions.Storage;

namespace Cts.Functions.Api;

/// <summary>The audit trail (SPEC §4): who did what, when, from which state to which, newest first.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/audit").WithTags("Audit");
        api.MapGet("/", Query).RequireViewer()
            .WithName("listAudit").WithSummary("The audit trail, newest first, filtered by connection and time")
            .Produces<AuditList>().ProducesValidationProblem();
        return api;
    }

    public static async Task<IResult> Query(AuditLog audit, string? connectionId, DateTimeOffset? from, DateTimeOffset? to, int? top)
    {
        var errors = new Dictionary<string, string[]>();
        if (connectionId is not null && !ConnectionId.IsValid(connectionId))
        {
            errors["connectionId"] = [$"must match {ConnectionId.Pattern}"];
        }
        if (top is < 1 or > EnginesApi.MaxTop)
        {
            errors["top"] = [$"must be between 1 and {EnginesApi.MaxTop}"];
        }
        if (from > to)
        {
            errors["from"] = ["must not be after 'to'"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var entries = await audit.QueryAsync(connectionId, from, to, top ?? EnginesApi.DefaultTop);
        return TypedResults.Ok(new AuditList(entries, entries.Count));
    }
}
