using Cts.Domain.Audit;
using Cts.Domain.Connections;
using Cts.Domain.Exchanges;
using Cts.Functions.Engines;
using Cts.Functions.Security;
using Cts.Functions.Storage;

namespace Cts.Functions.Api;

/// <summary>
/// Read-only views of one engine for the console: its chart (<c>candles</c>) and the ops inspector (<c>inspect</c>).
/// Viewer role; neither changes anything.
/// </summary>
public static class EngineInsightsApi
{
    /// <summary>How many audit entries the inspector shows as the engine's history.</summary>
    public const int HistoryEntries = 200;

    public static RouteGroupBuilder MapEngineInsightsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/engines").WithTags("Engines");
        api.MapGet("/{connectionId}/candles", GetCandles)
            .WithName("getEngineCandles")
            .WithSummary("Candles of one of the engine's symbols with the preset's indicator lines and the engine's entries and exits")
            .Produces<EngineChartView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .RequireViewer();
        api.MapGet("/{connectionId}/inspect", Inspect)
            .WithName("inspectEngine")
            .WithSummary("The engine inspector: state and since when, transitions, retries and escalations, processors' errors and next ticks, watchdog, node, versions")
            .Produces<EngineInspectView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireViewer();
        return api;
    }

    public static async Task<IResult> GetCandles(EngineChartService charts, HttpContext http, string connectionId, string? symbol, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ConnectionId.IsValid(connectionId))
        {
            errors["connectionId"] = [$"must match {ConnectionId.Pattern}"];
        }
        if (string.IsNullOrWhiteSpace(symbol))
        {
            errors["symbol"] = ["is required (one of the connection's symbols)"];
        }
        if (limit is < 1 or > EngineChartService.MaxLimit)
        {
            errors["limit"] = [$"must be between 1 and {EngineChartService.MaxLimit}"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        try
        {
            var (outcome, chart) = await charts.GetAsync(connectionId, symbol!, limit ?? EngineChartService.DefaultLimit, http.RequestAborted);
            return outcome switch
            {
                ChartOutcome.Ok => TypedResults.Ok(chart),
                ChartOutcome.UnknownSymbol => Problems.Invalid(new Dictionary<string, string[]>
                {
                    ["symbol"] = [$"'{symbol}' is not one of the connection's symbols"],
                }),
                _ => Problems.NotFound("Connection", connectionId),
            };
        }
        catch (ExchangeException e)
        {
            return TypedResults.Problem(title: "The venue did not answer", detail: e.Message, statusCode: StatusCodes.Status502BadGateway,
                type: "https://cts.dev/problems/venue-unavailable");
        }
    }

    public static async Task<IResult> Inspect(EngineService engines, ConnectionStore connections, PresetStore presets, AuditLog audit,
        HttpContext http, string connectionId)
    {
        if (!ConnectionId.IsValid(connectionId))
        {
            return Problems.InvalidId(connectionId);
        }
        var connection = (await connections.GetAsync(connectionId, http.RequestAborted))?.Value;
        if (connection is null)
        {
            return Problems.NotFound("Connection", connectionId);
        }
        var inspection = await engines.InspectAsync(connectionId);
        var preset = await presets.ResolveAsync(connection.PresetId, http.RequestAborted);
        var history = await audit.QueryAsync(connectionId, null, null, HistoryEntries, http.RequestAborted);
        return TypedResults.Ok(EngineInspectView.From(inspection, connection, preset, history));
    }
}

/// <summary>The body of <c>GET /api/engines/{id}/inspect</c>.</summary>
public sealed record EngineInspectView(
    string ConnectionId,
    string State,
    DateTimeOffset? Since,
    string Node,
    DateTimeOffset At,
    EngineStatus Status,
    IReadOnlyList<ProcessorInspection> Processors,
    WatchdogView Watchdog,
    InspectRetry Retry,
    IReadOnlyList<AuditEntry> Escalations,
    IReadOnlyList<AuditEntry> Transitions,
    InspectVersions Versions)
{
    public static EngineInspectView From(EngineInspection inspection, Domain.Connections.Connection connection, Domain.Config.Preset? preset,
        IReadOnlyList<AuditEntry> history)
    {
        var status = inspection.Status;
        return new EngineInspectView(
            status.ConnectionId, status.State, status.Since, inspection.Node, inspection.At, status, inspection.Processors,
            inspection.Watchdog,
            new InspectRetry(status.Retry, status.Escalated, inspection.RetryPlan),
            history.Where(e => e.Action == "escalate").ToList(),
            history,
            new InspectVersions(
                new RunningVersion(connection.Id, status.ConnectionVersion, connection.Version),
                new RunningVersion(preset?.Id ?? connection.PresetId ?? Domain.Config.Preset.DefaultId, status.ConfigVersion, preset?.Version)));
    }
}

/// <summary>The retry schedule now (attempt, max, next) and the plan of delays the settings give each attempt.</summary>
public sealed record InspectRetry(RetrySchedule? Current, bool Escalated, IReadOnlyList<RetryStep> Plan);

/// <summary>The versions the engine runs with (<c>running</c>, 0 before its first start) and the stored ones (<c>current</c>).</summary>
public sealed record InspectVersions(RunningVersion Connection, RunningVersion Preset);

public sealed record RunningVersion(string Id, long Running, long? Current);
