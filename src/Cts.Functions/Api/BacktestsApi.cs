using Cts.Domain.Connections;
using Cts.Domain.Market;
using Cts.Functions.Backtests;
using Cts.Functions.Engines;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>Backtests (SPEC §4, §6): start one from a preset over a window, follow its progress, read its report and its chart, cancel and remove it.</summary>
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
        api.MapGet("/{id}/candles", GetCandles).RequireViewer()
            .WithName("getBacktestCandles")
            .WithSummary("One symbol's candles over the backtest's window from its data source, as at most maxBars bars, with the trades' entries and exits")
            .WithDescription("Paper backtests get the seeded paper market's candles (the same code the backtest ran on), imported ones the "
                + "imported candles. The bars' interval is the smallest of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d, 3d, 1w that draws the "
                + "window in at most `maxBars` bars (a year: 6h); bars start at `from`. Each marker's `time` is the bar it falls in.")
            .Produces<BacktestChartView>()
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

    public static async Task<IResult> GetCandles(BacktestChartService charts, HttpContext http, string id, string? symbol, int? maxBars)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ConnectionId.IsValid(id))
        {
            errors["id"] = [$"'{id}' must match {ConnectionId.Pattern}"];
        }
        if (string.IsNullOrWhiteSpace(symbol))
        {
            errors["symbol"] = ["is required (one of the backtest's symbols)"];
        }
        if (maxBars is < 1 or > CandleBars.MaxBars)
        {
            errors["maxBars"] = [$"must be between 1 and {CandleBars.MaxBars}"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var (outcome, chart) = await charts.GetAsync(id, symbol!, maxBars ?? CandleBars.MaxBars, http.RequestAborted);
        return outcome switch
        {
            ChartOutcome.Ok => TypedResults.Ok(chart),
            ChartOutcome.UnknownSymbol => Problems.Invalid(new Dictionary<string, string[]> { ["symbol"] = [$"'{symbol}' is not one of the backtest's symbols"] }),
            _ => Problems.NotFound("Backtest", id),
        };
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
