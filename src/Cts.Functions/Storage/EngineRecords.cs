using Azure.Data.Tables;
using Cts.Domain.Engines;

namespace Cts.Functions.Storage;

/// <summary>
/// An engine's persisted record as other components may see it: the columns its state projects. <see cref="Since"/>
/// is when the engine entered <see cref="State"/> (the record's last write for a record that has none).
/// </summary>
public sealed record EngineRecord(string ConnectionId, string State, long ConnectionVersion, bool RetryPending, DateTimeOffset? Since);

/// <summary>
/// Reads the engines' persisted records (their rows in the grain-state table) without waking any engine: for the
/// boot scan, the connection monitor, the retention job, import/restore checks and the metrics gauge. The engines own
/// and write them.
/// </summary>
public sealed class EngineRecords(CtsTables tables)
{
    /// <summary>The grain state name of engines, which is the PartitionKey of their rows.</summary>
    public const string StateName = "engine";

    private static readonly string Partition = TableClient.CreateQueryFilter($"PartitionKey eq {TableGrainStorage.PartitionKeyFor(StateName)}");

    /// <summary>Every engine record, by connection id.</summary>
    public async Task<IReadOnlyDictionary<string, EngineRecord>> AllAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync(Partition, cancellationToken)).ToDictionary(r => r.ConnectionId, StringComparer.Ordinal);

    /// <summary>Engines to wake at boot: those in an active state, and those in Error with a retry still scheduled.</summary>
    public async Task<IReadOnlyList<string>> NeedingRecoveryAsync(CancellationToken cancellationToken = default)
    {
        var active = Enum.GetValues<EngineState>().Where(EngineLifecycle.IsActive).Select(s => $"State eq '{s}'");
        var filter = $"{Partition} and ({string.Join(" or ", active)} or RetryPending eq true)";
        return (await QueryAsync(filter, cancellationToken)).Select(r => r.ConnectionId).ToList();
    }

    private async Task<List<EngineRecord>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableGrainStorage.TableName, cancellationToken);
        var records = new List<EngineRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "State", "ConnectionVersion", "RetryPending", "Since", "UpdatedAt"],
                           cancellationToken: cancellationToken))
        {
            records.Add(new EngineRecord(row.RowKey, row.GetString("State") ?? nameof(EngineState.Idle),
                row.GetInt64("ConnectionVersion") ?? 0, row.GetBoolean("RetryPending") ?? false,
                row.GetDateTimeOffset("Since") ?? row.GetDateTimeOffset("UpdatedAt")));
        }
        return records;
    }
}
