using Cts.Domain.Connections;
using Cts.Functions.Api.OpenApi;
using Cts.Functions.Engines;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>
/// The old system's routes (SPEC §4), kept so existing clients keep working. Same semantics: they go through the
/// same <see cref="EngineService"/> as the engines API; nothing here can create or track an engine of its own.
/// </summary>
public static class TradeEngineAliasApi
{
    public static RouteGroupBuilder MapTradeEngineAliases(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/trade-engine").WithTags("Legacy aliases");
        api.MapPost("/start", (HttpContext http, EngineService engines) => Run(http, engines, "start")).RequireOperator()
            .WithName("legacyStartEngine").WithSummary("Start an engine (the old system's route; same as startEngine)")
            .Accepts<AliasRequest>("application/json")
            .Produces<EngineActionResponse>().Produces<EngineActionResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem();
        api.MapPost("/stop", (HttpContext http, EngineService engines) => Run(http, engines, "stop")).RequireOperator()
            .WithName("legacyStopEngine").WithSummary("Stop an engine (the old system's route; same as stopEngine)")
            .Accepts<AliasRequest>("application/json")
            .Produces<EngineActionResponse>().Produces<EngineActionResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem();
        api.MapGet("/status-all", ([AsParameters] EngineServices services, string? state, int? top, string? continuationToken) =>
                EnginesApi.ListEngines(services, state, top, continuationToken)).RequireViewer()
            .WithName("legacyStatusAll").WithSummary("Status-all (the old system's route; same as listEngines)")
            .Produces<EngineList>().ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfNoneMatch);
        api.MapGet("/status", ([AsParameters] EngineServices services, string? connectionId) =>
                connectionId is null
                    ? Task.FromResult<IResult>(Problems.Invalid(new Dictionary<string, string[]> { ["connectionId"] = ["is required"] }))
                    : GetStatus(services, connectionId)).RequireViewer()
            .WithName("legacyStatus").WithSummary("One engine's status (the old system's route; same as getEngine)")
            .Produces<EngineStatus>().ProducesProblems(StatusCodes.Status404NotFound).ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> GetStatus(EngineServices services, string connectionId) =>
        await EnginesApi.GetEngine(services, connectionId);

    private static async Task<IResult> Run(HttpContext http, EngineService engines, string action)
    {
        var (body, error) = await RequestBody.ReadAsync<AliasRequest>(http.Request, required: true);
        if (error is not null)
        {
            return error;
        }
        if (!ConnectionId.IsValid(body!.ConnectionId))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["connectionId"] = [$"must match {ConnectionId.Pattern}"] });
        }
        if (body.ClosePositions is not null && action != "stop")
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["closePositions"] = ["only stop takes closePositions"] });
        }
        if (EngineActionRequest.ReasonErrors(body.Reason) is { Count: > 0 } invalidReason)
        {
            return Problems.Invalid(invalidReason.ToDictionary());
        }
        var command = new EngineCommand(action, ApiCaller.Actor(http), body.Reason, ApiCaller.CorrelationId(http), body.ClosePositions ?? false);
        return EnginesApi.ToHttp(await engines.ExecuteAsync(body.ConnectionId!, command), body.ConnectionId!);
    }

    /// <summary>The body of the old system's start and stop.</summary>
    public sealed record AliasRequest(string? ConnectionId, string? Reason, bool? ClosePositions);
}
