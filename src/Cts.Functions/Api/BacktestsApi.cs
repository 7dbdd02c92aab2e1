using Cts.Domain.Connections;
using Cts.Functions.Backtests;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>Backtests (SPEC §4, §6): start one from a preset over a window, follow its progress, read its report, cancel and remove it.</summary>
public static class BacktestsApi
{
    public static RouteGroupBuilder MapBacktestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/backtests").WithTags("Backtests");
        api.MapPost("/", Create).RequireOperator()
            .WithName("createBacktest").WithSummary("Start a backtest of a preset over a window of paper or imported history")
            .Accepts<BacktestRequest>("application/json")
            .Produces<BacktestView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/", List).RequireViewer()
            .WithName("listBacktests").WithSummary("Every backtest, newest first, with its figures once completed (no equity curve, no trade list)")
            .Produces<BacktestList>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapGet("/{id}", Get).RequireViewer()
            .WithName("getBacktest").WithSummary("One backtest: status, progress 0–1 and, once completed, the report with equity curve and trades")
            .Produces<BacktestView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{id}", Delete).RequireOperator()
            .WithName("deleteBacktest").WithSummary("Cancel a backtest if it runs and remove it with its results")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<IResult> Create(HttpContext http, BacktestService backtests)
    {
        if (!IsJson(http.Request))
        {
            return UnsupportedMediaType("application/json");
        }
        var (body, error) = await RequestBody.ReadAsync<BacktestRequest>(http.Request, required: true);
        if (error is not null)
        {
            return error;
        }
        var (view, errors) = await backtests.CreateAsync(body!, ApiCaller.Actor(http), http.RequestAborted);
        return errors is not null
            ? Problems.Invalid(errors.ToDictionary())
            : TypedResults.Accepted($"/api/backtests/{view!.Id}", view);
    }

    public static async Task<IResult> List(BacktestService backtests, CancellationToken cancellationToken)
    {
        var all = await backtests.ListAsync(cancellationToken);
        return TypedResults.Ok(new BacktestList(all, all.Count));
    }

    public static async Task<IResult> Get(BacktestService backtests, string id, CancellationToken cancellationToken)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        return await backtests.GetAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view) : Problems.NotFound("Backtest", id);
    }

    public static async Task<IResult> Delete(BacktestService backtests, string id, CancellationToken cancellationToken)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        return await backtests.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("Backtest", id);
    }

    internal static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && type.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    internal static IResult UnsupportedMediaType(string expected) => TypedResults.Problem(
        title: "Unsupported media type", detail: $"The body must be {expected}.", statusCode: StatusCodes.Status415UnsupportedMediaType,
        type: "https://cts.dev/problems/unsupported-media-type");
}

public sealed record BacktestList(IReadOnlyList<BacktestView> Backtests, int Count);
