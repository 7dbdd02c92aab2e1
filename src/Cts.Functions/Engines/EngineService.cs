using Cts.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Engines;

/// <summary>
/// The one path from the outside (HTTP, background services, tests) to the engines: checks that the connection
/// exists, calls its engine grain, and bounds how long a caller waits.
/// </summary>
public sealed class EngineService(
    IGrainFactory grains, ConnectionStore connections, PositionStore positions, EngineStatusBoard board, TimeProvider time, IOptions<EngineOptions> options)
{
    public IEngineGrain Engine(string connectionId) => grains.GetGrain<IEngineGrain>(connectionId);

    /// <summary>The live status of a connection's engine, or null when there is no such connection.</summary>
    public async Task<EngineStatus?> GetStatusAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!await ExistsAsync(connectionId, cancellationToken))
            {
                return null;
            }
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e))
        {
            // Storage is down: the engine itself still knows the truth (including that it is degraded), so ask it.
            // A connection that has no engine record shows as Idle until storage returns.
        }
        var status = await Engine(connectionId).GetStatus();
        board.Offer(status);
        return status;
    }

    /// <summary>The inspector's view of the engine (its node, timers, watchdog, retry plan); the caller checked that the connection exists.</summary>
    public async Task<EngineInspection> InspectAsync(string connectionId)
    {
        var inspection = await grains.GetGrain<IEngineInspector>(connectionId).Inspect();
        board.Offer(inspection.Status);
        return inspection;
    }

    /// <summary>
    /// Runs an action and waits for the engine to settle, up to the request timeout; past it the action goes on and the
    /// caller gets the status as it is (<see cref="EngineActionResult.Pending"/>).
    /// </summary>
    public async Task<EngineActionResult> ExecuteAsync(string connectionId, EngineCommand command, CancellationToken cancellationToken = default)
    {
        if (!await ExistsAsync(connectionId, cancellationToken))
        {
            return EngineActionResult.NotFound();
        }
        var engine = Engine(connectionId);
        var execution = engine.Execute(command);
        try
        {
            var result = await execution.WaitAsync(TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds), time, cancellationToken);
            return EngineActionResult.Completed(result);
        }
        catch (TimeoutException)
        {
            return EngineActionResult.Pending(await engine.GetStatus());
        }
    }

    /// <summary>
    /// An operator's forced entry: 404 for an unknown connection, field errors for a symbol it does not trade or a bad
    /// amount (nothing sent), else the engine's answer. A retry of a request whose position has closed since finds it in
    /// the trading table. Past the request timeout the caller is told to retry with the same request key.
    /// </summary>
    public async Task<ForceEntryAnswer> ForceEnterAsync(string connectionId, ForceEntryCommand command, CancellationToken cancellationToken = default)
    {
        var connection = await connections.GetAsync(connectionId, cancellationToken);
        if (connection is null)
        {
            return new ForceEntryAnswer(false, null, null);
        }
        var errors = Cts.Domain.Trading.ForceEntryValidator.Validate(command.Symbol, command.QuoteAmount, command.Reason, connection.Value.Symbols);
        if (errors.Count > 0)
        {
            return new ForceEntryAnswer(true, errors, null);
        }
        ForceEntryResult result;
        try
        {
            result = await Engine(connectionId).ForceEnter(command)
                .WaitAsync(TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds), time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return new ForceEntryAnswer(true, null, null, TimedOut: true);
        }
        board.Offer(result.Status);
        if (result is { Outcome: ForceEntryOutcome.AlreadyMade, Position: null }
            && await positions.GetAsync(connectionId, result.PositionId, cancellationToken) is { } earlier)
        {
            result = result with { Position = PositionView.From(earlier) };
        }
        return new ForceEntryAnswer(true, null, result);
    }

    /// <summary>
    /// Whether the connection exists: the status board knows every connection without a read; one it does not list
    /// (just created on another node, or unknown) is looked up in the table.
    /// </summary>
    private async Task<bool> ExistsAsync(string connectionId, CancellationToken cancellationToken) =>
        await board.ListsAsync(connectionId, cancellationToken) || await connections.GetAsync(connectionId, cancellationToken) is not null;

    /// <summary>
    /// A page of engine statuses in connection-id order, optionally only those in <paramref name="state"/>, from the
    /// status board (every connection has exactly one engine); the continuation token is the id to go on after.
    /// </summary>
    public Task<BoardPage> ListAsync(string? state, int top, string? continuationToken, CancellationToken cancellationToken = default) =>
        board.PageAsync(state, top, continuationToken, cancellationToken);
}

/// <summary>A forced entry's answer: the connection not found, field errors, or the engine's result.</summary>
public sealed record ForceEntryAnswer(bool Found, IReadOnlyDictionary<string, string[]>? Errors, ForceEntryResult? Result, bool TimedOut = false);

/// <summary>What became of an engine action: not found, settled, or still under way after the request timeout.</summary>
public sealed record EngineActionResult(bool Found, EngineCommandResult? Result, EngineStatus? PendingStatus)
{
    public static EngineActionResult NotFound() => new(false, null, null);
    public static EngineActionResult Completed(EngineCommandResult result) => new(true, result, null);
    public static EngineActionResult Pending(EngineStatus status) => new(true, null, status);
}
