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
        api.MapGet("/{connectionId}/{positionId}", Get).RequireViewer()
            .WithName("getPosition")
            .WithSummary("One position of a connection, open or closed")
            .Produces<PositionView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{connectionId}/{positionId}/close", Close).RequireOperator()
            .WithName("closePosition").WithSummary("Force-close one open position at market (exit reason manual)")
            .Produces<PositionView>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem();
        app.MapGet("/api/engines/{connectionId}/positions", (PositionStore store, string connectionId, string? status, int? top) =>
                List(store, connectionId, status, top))
            .WithTags("Engines").RequireViewer()
            .WithName("listEnginePositions").WithSummary("The engine's positions, newest first")
            .Produces<PositionList>().ProducesValidationProblem();
        app.MapPost("/api/engines/{connectionId}/positions", ForceEnter).RequireOperator()
            .WithName("forceEntry")
            .WithSummary("Force an entry (operator): open a position now on one of the connection's symbols, Running or Paused")
            .WithDescription("Body { symbol, quoteAmount?, reason? }; quoteAmount defaults to the preset's positionSizeQuote. "
                + "Within maxOpenPositions and the balance, through the same intent journal and client order ids as strategy entries. "
                + "Send Idempotency-Key (or the same X-Correlation-Id) to retry safely: the same key is the same order.")
            .WithTags("Engines")
            .Accepts<ForceEntryRequest>("application/json")
            .Produces<PositionView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status503ServiceUnavailable);
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

    public static async Task<IResult> Get(PositionStore store, string connectionId, string positionId)
    {
        if (!ConnectionId.IsValid(connectionId))
        {
            return Problems.InvalidId(connectionId);
        }
        if (!ClientOrderId.IsWellFormed(positionId))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["positionId"] = ["is not a position id"] });
        }
        var position = await store.GetAsync(connectionId, positionId);
        return position is null ? Problems.NotFound("Position", positionId) : TypedResults.Ok(PositionView.From(position));
    }

    /// <summary>An operator's forced entry: validate, one call to the engine through <see cref="EngineService"/>, map its answer.</summary>
    public static async Task<IResult> ForceEnter(HttpContext http, EngineService engines, string connectionId)
    {
        if (!ConnectionId.IsValid(connectionId))
        {
            return Problems.InvalidId(connectionId);
        }
        var (body, error) = await RequestBody.ReadAsync<ForceEntryRequest>(http.Request, required: true);
        if (error is not null)
        {
            return error;
        }
        var key = http.Request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length > 128 || key.Any(c => c is < '!' or > '~'))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { [IdempotencyKeyHeader] = ["at most 128 visible ASCII characters"] });
        }
        var correlationId = ApiCaller.CorrelationId(http);
        var command = new ForceEntryCommand(body!.Symbol ?? "", body.QuoteAmount, key.Length > 0 ? key : correlationId, ApiCaller.Actor(http),
            body.Reason, correlationId);
        var answer = await engines.ForceEnterAsync(connectionId, command);
        return ForceEntryResults.ToHttp(http, answer, connectionId);
    }

    public const string IdempotencyKeyHeader = "Idempotency-Key";

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

/// <summary>The body of a forced entry.</summary>
public sealed record ForceEntryRequest(string? Symbol, decimal? QuoteAmount, string? Reason);

public sealed record PositionList(IReadOnlyList<PositionView> Positions, int Count);
