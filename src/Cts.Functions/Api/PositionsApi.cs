using Cts.Domain.Connections;
using Cts.Domain.Trading;
using Cts.Functions.Api.OpenApi;
using Cts.Functions.Engines;
using Cts.Functions.Security;
using Cts.Functions.Storage;

namespace Cts.Functions.Api;

/// <summary>Positions (SPEC §4): list with filters, and an operator's forced close of one position.</summary>
public static class PositionsApi
{
    public static IEndpointRouteBuilder MapPositionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/positions").WithTags("Positions");
        api.MapGet("/", List).RequireViewer()
            .WithName("listPositions").WithSummary("Positions of every engine (or one connection's), newest first")
            .Produces<PositionList>().ProducesValidationProblem();
        api.MapPost("/{connectionId}/{positionId}/close", Close).RequireOperator()
            .WithName("closePosition").WithSummary("Force-close one open position at market (exit reason manual)")
            .Produces<PositionView>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem();
        app.MapGet("/api/engines/{connectionId}/positions", (PositionStore store, string connectionId, string? status, int? top) =>
                List(store, connectionId, status, top))
            .WithTags("Engines").RequireViewer()
            .WithName("listEnginePositions").WithSummary("The engine's positions, newest first")
            .Produces<PositionList>().ProducesValidationProblem();
        return app;
    }

    public static async Task<IResult> List(PositionStore store, string? connectionId, string? status, int? top)
    {
        var errors = new Dictionary<string, string[]>();
        if (connectionId is not null && !ConnectionId.IsValid(connectionId))
        {
            errors["connectionId"] = [$"must match {ConnectionId.Pattern}"];
        }
        PositionStatus? wanted = status switch
        {
            null => null,
            "open" => PositionStatus.Open,
            "closed" => PositionStatus.Closed,
            _ => null,
        };
        if (status is not null && wanted is null)
        {
            errors["status"] = ["must be open or closed"];
        }
        if (top is < 1 or > EnginesApi.MaxTop)
        {
            errors["top"] = [$"must be between 1 and {EnginesApi.MaxTop}"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var positions = await store.QueryAsync(connectionId, wanted, top ?? EnginesApi.DefaultTop);
        return TypedResults.Ok(new PositionList(positions.Select(PositionView.From).ToList(), positions.Count));
    }

    public static async Task<IResult> Close(HttpContext http, EngineService engines, ConnectionStore connections, string connectionId, string positionId)
    {
        if (!ConnectionId.IsValid(connectionId))
        {
            return Problems.InvalidId(connectionId);
        }
        if (!ClientOrderId.IsWellFormed(positionId))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["positionId"] = ["is not a position id"] });
        }
        if (await connections.GetAsync(connectionId) is null)
        {
            return Problems.NotFound("Connection", connectionId);
        }
        var result = await engines.Engine(connectionId).ClosePosition(positionId, ApiCaller.Actor(http), ApiCaller.CorrelationId(http));
        return result.Outcome switch
        {
            CloseOutcome.Closed => TypedResults.Ok(result.Position),
            CloseOutcome.NotFound => Problems.NotFound("Open position", positionId),
            _ => Problems.Conflict("Position not closed", result.Detail ?? "the close was refused"),
        };
    }
}

public sealed record PositionList(IReadOnlyList<PositionView> Positions, int Count);
