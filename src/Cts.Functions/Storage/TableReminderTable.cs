using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Cts.Functions.Storage;

/// <summary>
/// Orleans reminder table on Azure Table Storage (the <c>reminders</c> table), so reminders survive silo
/// restarts and every silo can load the reminders of the hash range it owns.
/// </summary>
/// <remarks>
/// PartitionKey = <c>{serviceId}_{grain hash as 8 uppercase hex digits}</c>: fixed-width hex sorts like the
/// number, so a hash range is a PartitionKey range and no silo has to scan the whole table. RowKey = escaped
/// grain id (with <c>-</c> escaped too), <c>-</c>, escaped reminder name, which keeps the key injective.
/// </remarks>
public sealed class TableReminderTable : IReminderTable
{
    /// <summary>Logical table name, prefixed by <see cref="CtsTables"/>.</summary>
    public const string TableName = "reminders";

    private const string GrainIdColumn = "GrainId";
    private const string ReminderNameColumn = "ReminderName";
    private const string StartAtColumn = "StartAt";
    private const string PeriodTicksColumn = "PeriodTicks";
    private const string GrainHashColumn = "GrainHash";

    private readonly CtsTables _tables;
    private readonly string _servicePrefix;
    private readonly ILogger<TableReminderTable> _logger;

    public TableReminderTable(CtsTables tables, IOptions<ClusterOptions> cluster, ILogger<TableReminderTable> logger)
    {
        _tables = tables;
        // '_' is escaped inside the service id so one service's key range can never include another's.
        _servicePrefix = TableKeys.Escape(cluster.Value.ServiceId, alsoEscape: "_") + "_";
        _logger = logger;
    }

    public async Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        var table = await Table().ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(grainId.GetUniformHashCode())} and GrainId eq {grainId.ToString()}");
        return new ReminderTableData(await QueryAsync(table, filter).ConfigureAwait(false));
    }

    /// <summary>Reminders whose grain hash is in <c>(begin, end]</c>, or outside <c>(end, begin]</c> when the range wraps (begin ≥ end).</summary>
    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        var table = await Table().ConfigureAwait(false);
        var entries = begin < end
            ? await QueryRangeAsync(table, begin, end).ConfigureAwait(false)
            : [.. await QueryRangeAsync(table, begin, uint.MaxValue).ConfigureAwait(false),
               .. await QueryFromZeroAsync(table, end).ConfigureAwait(false)];
        _logger.LogDebug("Reminders: read {Count} rows in range ({Begin:X8}, {End:X8}]", entries.Count, begin, end);
        return new ReminderTableData(entries);
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var table = await Table().ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey(grainId.GetUniformHashCode()), RowKey(grainId, reminderName))
            .ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? ToEntry(entity) : null;
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var hash = entry.GrainId.GetUniformHashCode();
        var entity = new TableEntity(PartitionKey(hash), RowKey(entry.GrainId, entry.ReminderName))
        {
            [GrainIdColumn] = entry.GrainId.ToString(),
            [ReminderNameColumn] = entry.ReminderName,
            [StartAtColumn] = new DateTimeOffset(AsUtc(entry.StartAt)),
            [PeriodTicksColumn] = entry.Period.Ticks,
            [GrainHashColumn] = (long)hash,
        };
        var table = await Table().ConfigureAwait(false);
        var response = await table.UpsertEntityAsync(entity, TableUpdateMode.Replace).ConfigureAwait(false);
        var etag = response.Headers.ETag?.ToString()
            ?? throw new InvalidOperationException($"Table storage returned no ETag for reminder {entry.ReminderName} of {entry.GrainId}.");
        _logger.LogDebug("Reminders: upserted {ReminderName} of {GrainId}, etag {ETag}", entry.ReminderName, entry.GrainId, etag);
        return etag;
    }

    /// <summary>Removes the reminder if its ETag still matches; false when it is missing or was changed meanwhile.</summary>
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (string.IsNullOrEmpty(eTag))
        {
            return false; // An empty ETag would make the delete unconditional.
        }

        var table = await Table().ConfigureAwait(false);
        try
        {
            var response = await table.DeleteEntityAsync(PartitionKey(grainId.GetUniformHashCode()), RowKey(grainId, reminderName), new ETag(eTag))
                .ConfigureAwait(false);
            var removed = response.Status != 404; // The SDK reports a missing entity without throwing.
            _logger.LogDebug("Reminders: remove {ReminderName} of {GrainId}: {Removed}", reminderName, grainId, removed);
            return removed;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            _logger.LogDebug("Reminders: remove {ReminderName} of {GrainId} refused ({Status})", reminderName, grainId, e.Status);
            return false;
        }
    }

    /// <summary>Deletes this service's reminders (only this service's: other services may share the table).</summary>
    public async Task TestOnlyClearTable()
    {
        var table = await Table().ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {PartitionKey(0)} and PartitionKey le {PartitionKey(uint.MaxValue)}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"]).ConfigureAwait(false))
        {
            await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All).ConfigureAwait(false);
        }
    }

    private Task<TableClient> Table() => _tables.GetAsync(TableName);

    private string PartitionKey(uint hash) => _servicePrefix + hash.ToString("X8", CultureInfo.InvariantCulture);

    private static string RowKey(GrainId grainId, string reminderName) =>
        TableKeys.Escape(grainId.ToString(), alsoEscape: "-") + "-" + TableKeys.Escape(reminderName);

    /// <summary>Hashes in <c>(begin, end]</c>.</summary>
    private Task<List<ReminderEntry>> QueryRangeAsync(TableClient table, uint begin, uint end) =>
        QueryAsync(table, TableClient.CreateQueryFilter($"PartitionKey gt {PartitionKey(begin)} and PartitionKey le {PartitionKey(end)}"));

    /// <summary>Hashes in <c>[0, end]</c>.</summary>
    private Task<List<ReminderEntry>> QueryFromZeroAsync(TableClient table, uint end) =>
        QueryAsync(table, TableClient.CreateQueryFilter($"PartitionKey ge {PartitionKey(0)} and PartitionKey le {PartitionKey(end)}"));

    private static async Task<List<ReminderEntry>> QueryAsync(TableClient table, string filter)
    {
        var entries = new List<ReminderEntry>();
        // The pageable follows continuation tokens, so large ranges are read completely.
        await foreach (var entity in table.QueryAsync<TableEntity>(filter).ConfigureAwait(false))
        {
            entries.Add(ToEntry(entity));
        }
        return entries;
    }

    private static ReminderEntry ToEntry(TableEntity entity) => new()
    {
        GrainId = GrainId.Parse(entity.GetString(GrainIdColumn)),
        ReminderName = entity.GetString(ReminderNameColumn),
        StartAt = entity.GetDateTimeOffset(StartAtColumn)?.UtcDateTime ?? default,
        Period = TimeSpan.FromTicks(entity.GetInt64(PeriodTicksColumn) ?? 0),
        ETag = entity.ETag.ToString(),
    };

    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
