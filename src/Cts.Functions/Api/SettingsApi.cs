using Cts.Domain.Audit;
using Cts.Domain.Config;
using Cts.Functions.Api.OpenApi;
using Cts.Functions.Config;
using Cts.Functions.Security;
using Cts.Functions.Storage;

namespace Cts.Functions.Api;

/// <summary>The settings document (SPEC §2, §4): read with its ETag, replace with If-Match.</summary>
public static class SettingsApi
{
    public static RouteGroupBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/settings").WithTags("Settings");
        api.MapGet("/", Get).RequireViewer()
            .WithName("getSettings").WithSummary("The settings document (defaults until one is stored)")
            .Produces<EngineSettings>()
            .WithHeaders(HeaderContract.ETag);
        api.MapPut("/", Replace).RequireAdmin()
            .WithName("replaceSettings").WithSummary("Replace the settings document")
            .Accepts<EngineSettings>("application/json")
            .Produces<EngineSettings>()
            .ProducesProblems(StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfMatch);
        return api;
    }

    public static async Task<IResult> Get(HttpContext http, SettingsStore store)
    {
        var stored = await store.GetAsync();
        if (stored is not null)
        {
            http.Response.Headers.ETag = stored.ETag;
        }
        return TypedResults.Ok(stored?.Value ?? EngineSettings.Defaults);
    }

    public static async Task<IResult> Replace(HttpContext http, SettingsStore store, AuditLog audit, TimeProvider time)
    {
        var (body, error) = await RequestBody.ReadAsync<EngineSettings>(http.Request, required: true);
        if (error is not null)
        {
            return error;
        }
        var invalid = body!.Validate();
        if (invalid.Count > 0)
        {
            return Problems.Invalid(invalid.ToDictionary());
        }
        var current = await store.GetAsync();
        var ifMatch = ConditionalRequest.IfMatch(http);
        if (ifMatch is not null && ifMatch != current?.ETag)
        {
            return Problems.PreconditionFailed("settings");
        }
        var changed = ChangedFields.Between(current?.Value ?? EngineSettings.Defaults, body);
        if (changed.Count == 0 && current is not null)
        {
            // Nothing to change: nothing is written, the ETag stays, and the audit says so.
            await audit.AppendAsync(AuditEntries.ConfigChange(time, http, "settings.update", null, ChangedFields.Describe(changed), AuditOutcomes.NoOp));
            http.Response.Headers.ETag = current.ETag;
            return TypedResults.Ok(current.Value);
        }
        var (outcome, etag) = await store.SaveAsync(body, current?.ETag);
        if (outcome != WriteOutcome.Written)
        {
            return Problems.PreconditionFailed("settings");
        }
        await audit.AppendAsync(AuditEntries.ConfigChange(time, http, "settings.update", null, ChangedFields.Describe(changed),
            changed.Count == 0 ? AuditOutcomes.NoOp : AuditOutcomes.Changed));
        http.Response.Headers.ETag = etag;
        return TypedResults.Ok(body);
    }
}
