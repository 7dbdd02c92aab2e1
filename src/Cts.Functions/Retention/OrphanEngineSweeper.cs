using Cts.Domain.Engines;
using Cts.Functions.Engines;
using Cts.Functions.Storage;

namespace Cts.Functions.Retention;

/// <summary>
/// The engines' part of the retention policy (issue 6): an engine record whose connection is gone and that has been
/// <c>Idle</c> or <c>Stopped</c> for longer than <c>retentionDays</c> (measured from its <see cref="EngineRecord.Since"/>)
/// is removed — through the engine's own delete, so the owner of the record removes it and the removal is audited as
/// <c>system</c>. An orphan that still runs is not this job's: the connection monitor stops it at once, and its record
/// goes here once it has been Stopped for the retention period. A record without a date is kept.
/// </summary>
public sealed partial class OrphanEngineSweeper(
    ConnectionStore connections, EngineRecords records, SettingsStore settings, IGrainFactory grains, TimeProvider time,
    ILogger<OrphanEngineSweeper> logger)
{
    private static readonly string[] RestingStates = [nameof(EngineState.Idle), nameof(EngineState.Stopped)];

    /// <summary>Removes the records past retention; returns their connection ids.</summary>
    public async Task<string[]> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var days = (await settings.CurrentAsync(cancellationToken)).RetentionDays;
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(days);
        var connected = (await connections.ListIdsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var expired = (await records.AllAsync(cancellationToken)).Values
            .Where(r => !connected.Contains(r.ConnectionId) && RestingStates.Contains(r.State) && r.Since < cutoff)
            .OrderBy(r => r.ConnectionId, StringComparer.Ordinal)
            .ToList();

        var removed = new List<string>();
        foreach (var record in expired)
        {
            // A connection created again since the list was read owns this engine now: it is no orphan any more.
            if (await connections.GetAsync(record.ConnectionId, cancellationToken) is not null)
            {
                continue;
            }
            var reason = $"connection deleted; {record.State} since {record.Since:O}, past the retention of {days} days";
            var result = await grains.GetGrain<IEngineGrain>(record.ConnectionId)
                .Execute(new EngineCommand(EngineAction.Delete.ToWire(), EngineGrain.SystemActor, reason));
            if (result.Outcome == CommandOutcome.Changed)
            {
                LogRemoved(record.ConnectionId, record.State, record.Since);
                removed.Add(record.ConnectionId);
            }
        }
        return removed.ToArray();
    }

    [LoggerMessage(LogLevel.Information, "Retention: removed the record of engine {ConnectionId}, {State} since {Since} and its connection deleted")]
    private partial void LogRemoved(string connectionId, string state, DateTimeOffset? since);
}
