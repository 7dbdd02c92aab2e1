using Cts.Domain.Connections;
using Cts.Functions.Engines;
using Cts.Functions.Exchanges;
using Cts.Functions.Security;
using Cts.Functions.Storage;

namespace Cts.Functions.Api;

/// <summary><c>GET /api/engines/{connectionId}/performance</c>: the engine's trade figures, daily profit and equity curve.</summary>
public static class PerformanceApi
{
    public static IEndpointRouteBuilder MapPerformanceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/engines/{connectionId}/performance", Get).WithTags("Engines").RequireViewer()
            .WithName("getEnginePerformance").WithSummary("An engine's performance from its positions, with the backtest report's calculator")
            .Produces<EnginePerformance>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<IResult> Get(EngineService engines, PositionStore positions, PaperLedgers ledgers, TimeProvider time,
        string connectionId, CancellationToken cancellationToken)
    {
        if (!ConnectionId.IsValid(connectionId))
        {
            return Problems.InvalidId(connectionId);
        }
        if (await engines.GetStatusAsync(connectionId, cancellationToken) is not { } status)
        {
            return Problems.NotFound("Connection", connectionId);
        }
        var all = await positions.QueryAsync(connectionId, null, int.MaxValue, cancellationToken);
        return TypedResults.Ok(EnginePerformance.From(connectionId, time.GetUtcNow(), all, status.RealizedPnl, status.UnrealizedPnl,
            ledgers.StartingQuoteBalance));
    }
}
