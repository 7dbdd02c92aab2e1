using System.Text.Json;
using Cts.Domain.Connections;
using Cts.Domain.Engines;
using Cts.Functions.Api.OpenApi;
using Cts.Functions.Engines;
using Cts.Functions.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>The engines resource (SPEC §4): status, status-all and lifecycle actions. Handlers delegate to <see cref="EngineService"/>.</summary>
public static class EnginesApi
{
    public const int DefaultTop = 100;
    public const int MaxTop = 1000;

    /// <summary>The actions the engines API exposes as routes (enable, disable and delete belong to connections).</summary>
    public static readonly string[] RoutedActions = ["start", "stop", "pause", "resume", "restart"];

    private static readonly Dictionary<string, string> ActionSummaries = new()
    {
        ["start"] = "Start the engine (Enabled, Stopped or Error → Initializing → Running); answers once Running",
        ["stop"] = "Stop the engine, optionally closing its open positions first",
        ["pause"] = "Pause the engine: no new entries, open positions still managed",
        ["resume"] = "Resume a paused engine",
        ["restart"] = "Restart the engine with its current configuration",
    };

    public static RouteGroupBuilder MapEnginesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/engines").WithTags("Engines");
        api.MapGet("/", ListEngines).RequireViewer()
            .WithName("listEngines").WithSummary("Status-all: every engine's status document, in connection-id order")
            .Produces<EngineList>().ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfNoneMatch);
        api.MapGet("/{connectionId}", GetEngine).RequireViewer()
            .WithName("getEngine").WithSummary("One engine's status document");
        // One route per action, so each is its own operation (startEngine, stopEngine, ...) with its own summary.
        foreach (var action in RoutedActions)
        {
            api.MapPost($"/{{connectionId}}/{action}", ([AsParameters] EngineServices services, string connectionId) =>
                    RunAction(services, connectionId, action))
                .RequireOperator()
                .WithName($"{action}Engine").WithSummary(ActionSummaries[action])
                .Accepts<EngineActionRequest>(isOptional: true, "application/json")
                .Produces<EngineActionResponse>()
                .Produces<EngineActionResponse>(StatusCodes.Status202Accepted)
                .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
                .ProducesValidationProblem();
        }
        api.MapGet("/{connectionId}/audit", GetAudit).RequireViewer()
            .WithName("listEngineAudit").WithSummary("The engine's audit entries, newest first")
            .Produces<AuditList>().ProducesValidationProblem();
        return api;
    }

    public static async Task<IResult> ListEngines(
        [AsParameters] EngineServices services, string? state, int? top, string? continuationToken)
    {
        var errors = new Dictionary<string, string[]>();
        // Names only: Enum.TryParse would also take "3" or "1,2".
        if (state is not null && !Enum.GetNames<EngineState>().Contains(state, StringComparer.OrdinalIgnoreCase))
        {
            errors["state"] = [$"must be one of: {string.Join(", ", Enum.GetNames<EngineState>())}"];
        }
        if (top is < 1 or > MaxTop)
        {
            errors["top"] = [$"must be between 1 and {MaxTop}"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var (lines, next, etag) = await services.Engines.ListAsync(state, top ?? DefaultTop, continuationToken);
        var context = services.Http;
        context.Response.Headers.ETag = etag;
        if (ConditionalRequest.NotModified(context, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return new EngineListResult(lines, services.Json.Value.SerializerOptions, services.Time.GetUtcNow(), next);
    }

    public static async Task<Results<Ok<EngineStatus>, NotFound<ProblemDetails>, ProblemHttpResult, ValidationProblem>> GetEngine(
        [AsParameters] EngineServices services, string connectionId)
    {
        if (!ConnectionId.IsValid(connectionId))
        {
            return Problems.InvalidId(connectionId);
        }
        var status = await services.Engines.GetStatusAsync(connectionId);
        return status is null ? Problems.NotFound("Connection", connectionId) : TypedResults.Ok(status);
    }

    public static async Task<IResult> RunAction(EngineServices services, string connectionId, string action)
    {
        if (!ConnectionId.IsValid(connectionId))
        {
            return Problems.InvalidId(connectionId);
        }
        var (body, error) = await RequestBody.ReadAsync<EngineActionRequest>(services.Http.Request, required: false);
        if (error is not null)
        {
            return error;
        }
        if (body?.ClosePositions is not null && action != "stop")
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["closePositions"] = ["only stop takes closePositions"] });
        }
        if (EngineActionRequest.ReasonErrors(body?.Reason) is { Count: > 0 } invalidReason)
        {
            return Problems.Invalid(invalidReason.ToDictionary());
        }
        var command = new EngineCommand(action, ApiCaller.Actor(services.Http), body?.Reason, ApiCaller.CorrelationId(services.Http),
            body?.ClosePositions ?? false);
        return ToHttp(await services.Engines.ExecuteAsync(connectionId, command), connectionId);
    }

    /// <summary>Maps an engine action's result: 200 settled, 202 still under way, 404 unknown, 409 not allowed.</summary>
    public static IResult ToHttp(EngineActionResult result, string connectionId)
    {
        if (!result.Found)
        {
            return Problems.NotFound("Connection", connectionId);
        }
        if (result.PendingStatus is not null)
        {
            return TypedResults.Accepted($"/api/engines/{connectionId}", new EngineActionResponse(true, result.PendingStatus));
        }
        var outcome = result.Result!;
        return outcome.Outcome == CommandOutcome.Conflict
            ? Problems.LifecycleConflict(outcome.Status, outcome.Detail)
            : TypedResults.Ok(new EngineActionResponse(outcome.Outcome == CommandOutcome.Changed, outcome.Status));
    }

    public static Task<IResult> GetAudit(AuditLog audit, string connectionId, DateTimeOffset? from, DateTimeOffset? to, int? top) =>
        AuditApi.Query(audit, connectionId, from, to, top);
}

/// <summary>What every engines handler needs, bundled so signatures stay short.</summary>
public sealed record EngineServices(HttpContext Http, EngineService Engines, TimeProvider Time,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> Json);

/// <summary>Optional body of an engine action.</summary>
public sealed record EngineActionRequest(string? Reason, bool? ClosePositions)
{
    public const int MaxReasonLength = 500;

    /// <summary>An operator's reason is free text for the audit trail: at most 500 characters, no control characters.</summary>
    public static IReadOnlyDictionary<string, string[]> ReasonErrors(string? reason)
    {
        var errors = new Cts.Domain.Config.FieldErrors();
        Cts.Domain.Config.PlainText.CheckOptional(errors, "reason", reason, MaxReasonLength);
        return errors.ToDictionary();
    }
}

public sealed record EngineActionResponse(bool Changed, EngineStatus Status);

/// <summary>A status-all page as the contract names it; <see cref="EngineListResult"/> writes it from the board's ready documents.</summary>
public sealed record EngineList(IReadOnlyList<EngineStatus> Engines, int Count, DateTimeOffset AsOf, string? ContinuationToken);

public sealed record AuditList(IReadOnlyList<Cts.Domain.Audit.AuditEntry> Entries, int Count);
