using Azure;
using Azure.Data.Tables;
using Cts.Domain.Audit;

namespace Cts.Functions.Storage;

/// <summary>
/// The append-only audit table. Partition per connection; RowKey is the inverted timestamp plus a unique
/// suffix, so a partition reads newest first and entries never overwrite each other.
/// </summary>
public sealed class AuditLog(CtsTables tables)
{
    public const string TableName = "audit";

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var rowKey = $"{DateTimeOffset.MaxValue.UtcTicks - entry.At.UtcTicks:D19}-{Guid.NewGuid():N}";
        var entity = new TableEntity(entry.ConnectionId, rowKey)
        {
            ["At"] = entry.At,
            ["Actor"] = entry.Actor,
            ["Action"] = entry.Action,
            ["FromState"] = entry.FromState,
            ["ToState"] = entry.ToState,
            ["Reason"] = entry.Reason,
            ["Outcome"] = entry.Outcome,
            ["CorrelationId"] = entry.CorrelationId,
            ["OutcomeDetail"] = entry.OutcomeDetail,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageFaults.IsAlreadyExists(e))
        {
            // The row key is this call's own (a new GUID), so the row exists only because an earlier attempt of this
            // very insert landed and its answer was lost: the storage client sent it again after a timeout. The entry
            // is written. (Thrown, it failed the recovery of every engine whose audit insert was retried, each
            // activation again, when a 10,000-engine recovery made Azurite slow enough for the client to time out.)
        }
    }

    /// <summary>Entries, newest first, for one connection or all, within an optional time window.</summary>
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(string? connectionId, DateTimeOffset? from, DateTimeOffset? to, int top,
        CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var filters = new List<string>();
        if (connectionId is not null) filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {connectionId}"));
        if (from is not null) filters.Add(TableClient.CreateQueryFilter($"At ge {from.Value}"));
        if (to is not null) filters.Add(TableClient.CreateQueryFilter($"At le {to.Value}"));
        var filter = filters.Count == 0 ? null : string.Join(" and ", filters);
        var entries = new List<AuditEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(
                e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Actor") ?? "", e.GetString("Action") ?? "",
                e.PartitionKey, e.GetString("FromState"), e.GetString("ToState"), e.GetString("Reason"),
                e.GetString("Outcome") ?? "", e.GetString("CorrelationId"), e.GetString("OutcomeDetail")));
            if (connectionId is not null && entries.Count >= top)
            {
                break; // one partition is already newest first
            }
        }
        return entries.OrderByDescending(e => e.At).Take(top).ToList();
    }
}
