using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;

namespace Cts.Functions.Storage;

/// <summary>
/// Orleans grain storage on Azure Table Storage (the <c>grainstate</c> table): one row per grain and state name,
/// holding the state in Orleans' version-tolerant binary format and guarded by the row's ETag, so two
/// activations of the same grain (e.g. during a silo failover) can never silently overwrite each other.
/// </summary>
/// <remarks>
/// Row layout: PartitionKey = escaped state name, RowKey = <see cref="RowKeyFor"/>(grain key), <c>Data</c> (or
/// <c>Data1</c>..<c>DataN</c> when larger than one table property allows), <c>GrainType</c>, <c>UpdatedAt</c>,
/// plus any <see cref="ITableProjection"/> columns. State contents are never logged.
/// </remarks>
public sealed class TableGrainStorage : IGrainStorage
{
    /// <summary>Logical table name, prefixed by <see cref="CtsTables"/>.</summary>
    public const string TableName = "grainstate";

    /// <summary>Bytes per data column: a binary table property holds at most 64 KiB.</summary>
    internal const int ChunkSize = 60 * 1024;

    /// <summary>At most 15 chunks (900 KiB) so the row stays under the 1 MiB entity limit with room for columns.</summary>
    internal const int MaxChunks = 15;

    private const string DataColumn = "Data";
    private const string GrainTypeColumn = "GrainType";
    private const string UpdatedAtColumn = "UpdatedAt";

    private readonly string _name;
    private readonly CtsTables _tables;
    private readonly Serializer _serializer;
    private readonly TimeProvider _time;
    private readonly ILogger<TableGrainStorage> _logger;

    public TableGrainStorage(string name, CtsTables tables, Serializer serializer, TimeProvider time, ILogger<TableGrainStorage> logger)
    {
        _name = name;
        _tables = tables;
        _serializer = serializer;
        _time = time;
        _logger = logger;
    }

    /// <summary>The RowKey under which the state of the grain with this key (<c>grainId.Key.ToString()</c>) is stored.</summary>
    public static string RowKeyFor(string grainKey) => TableKeys.Escape(grainKey);

    /// <summary>The PartitionKey under which states with this state name are stored.</summary>
    public static string PartitionKeyFor(string stateName) => TableKeys.Escape(stateName);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var table = await _tables.GetAsync(TableName).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKeyFor(stateName), RowKeyFor(grainId.Key.ToString()))
            .ConfigureAwait(false);
        if (!response.HasValue || response.Value is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            _logger.LogDebug("Storage {Name}: no {StateName} state for {GrainId}", _name, stateName, grainId);
            return;
        }

        var entity = response.Value;
        grainState.State = _serializer.Deserialize<T>(ReadData(entity));
        grainState.ETag = entity.ETag.ToString();
        grainState.RecordExists = true;
        _logger.LogDebug("Storage {Name}: read {StateName} state for {GrainId}, etag {ETag}", _name, stateName, grainId, grainState.ETag);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        using var writeTimer = Cts.Functions.Observability.CtsMetrics.TimeStorageWrite(stateName);
        var entity = new TableEntity(PartitionKeyFor(stateName), RowKeyFor(grainId.Key.ToString()));
        WriteData(entity, _serializer.SerializeToArray(grainState.State), stateName, grainId);
        entity[GrainTypeColumn] = grainId.Type.ToString();
        entity[UpdatedAtColumn] = _time.GetUtcNow();
        if (grainState.State is ITableProjection projection)
        {
            AddProjection(entity, projection.ProjectColumns());
        }

        var table = await _tables.GetAsync(TableName).ConfigureAwait(false);
        Response response;
        try
        {
            response = grainState.ETag is null
                ? await table.AddEntityAsync(entity).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(grainState.ETag), TableUpdateMode.Replace).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            throw Conflict("write", stateName, grainId, grainState.ETag, e);
        }

        grainState.ETag = response.Headers.ETag?.ToString();
        grainState.RecordExists = true;
        _logger.LogDebug("Storage {Name}: wrote {StateName} state for {GrainId}, etag {ETag}", _name, stateName, grainId, grainState.ETag);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var partitionKey = PartitionKeyFor(stateName);
        var rowKey = RowKeyFor(grainId.Key.ToString());
        var table = await _tables.GetAsync(TableName).ConfigureAwait(false);
        if (grainState.ETag is null)
        {
            // The grain believes nothing is stored; a row that exists anyway was written by someone else.
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, [GrainTypeColumn]).ConfigureAwait(false);
            if (existing.HasValue)
            {
                throw Conflict("clear", stateName, grainId, null, inner: null);
            }
        }
        else
        {
            try
            {
                // A missing row (404) is already the desired outcome; the SDK does not throw for it.
                await table.DeleteEntityAsync(partitionKey, rowKey, new ETag(grainState.ETag)).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                throw Conflict("clear", stateName, grainId, grainState.ETag, e);
            }
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        _logger.LogDebug("Storage {Name}: cleared {StateName} state for {GrainId}", _name, stateName, grainId);
    }

    private InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? etag, Exception? inner)
    {
        _logger.LogDebug("Storage {Name}: {Operation} of {StateName} state for {GrainId} refused, etag {ETag} is stale", _name, operation, stateName, grainId, etag);
        var message = $"Cannot {operation} the {stateName} state of {grainId}: it was changed by someone else (the ETag {etag ?? "<none>"} is stale).";
        return inner is null
            ? new InconsistentStateException(message, "Unknown", etag ?? "<none>")
            : new InconsistentStateException(message, "Unknown", etag ?? "<none>", inner);
    }

    private static void WriteData(TableEntity entity, byte[] data, string stateName, GrainId grainId)
    {
        if (data.Length <= ChunkSize)
        {
            entity[DataColumn] = data;
            return;
        }

        var chunks = (data.Length + ChunkSize - 1) / ChunkSize;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException(
                $"The {stateName} state of {grainId} serializes to {data.Length} bytes; table storage holds at most {MaxChunks * ChunkSize} bytes per state.");
        }

        for (var i = 0; i < chunks; i++)
        {
            var offset = i * ChunkSize;
            entity[DataColumn + (i + 1).ToString(CultureInfo.InvariantCulture)] = data.AsSpan(offset, Math.Min(ChunkSize, data.Length - offset)).ToArray();
        }
    }

    private static byte[] ReadData(TableEntity entity)
    {
        if (entity.GetBinary(DataColumn) is { } single)
        {
            return single;
        }

        using var buffer = new MemoryStream();
        for (var i = 1; entity.GetBinary(DataColumn + i.ToString(CultureInfo.InvariantCulture)) is { } chunk; i++)
        {
            buffer.Write(chunk);
        }
        return buffer.ToArray();
    }

    private static void AddProjection(TableEntity entity, IReadOnlyDictionary<string, object?> columns)
    {
        foreach (var (name, value) in columns)
        {
            if (IsReservedColumn(name))
            {
                throw new InvalidOperationException($"Projected column '{name}' clashes with a column of the grain storage itself.");
            }

            switch (value)
            {
                case null:
                    continue;
                case string or int or long or bool or DateTimeOffset or double:
                    entity[name] = value;
                    break;
                default:
                    throw new InvalidOperationException(
                        $"Projected column '{name}' has type {value.GetType().Name}; use string, int, long, bool, DateTimeOffset or double.");
            }
        }
    }

    private static bool IsReservedColumn(string name) =>
        name.StartsWith(DataColumn, StringComparison.OrdinalIgnoreCase)
        || name.Equals(GrainTypeColumn, StringComparison.OrdinalIgnoreCase)
        || name.Equals(UpdatedAtColumn, StringComparison.OrdinalIgnoreCase)
        || name.Equals("PartitionKey", StringComparison.OrdinalIgnoreCase)
        || name.Equals("RowKey", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Timestamp", StringComparison.OrdinalIgnoreCase)
        || name.Equals("odata.etag", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Reversible escaping of arbitrary strings into table keys. Keys may not contain <c>/ \ # ?</c> or control
/// characters; we also escape <c>%</c> and <c>'</c> (troublesome in request URLs and hand-written filters) and
/// the escape character <c>~</c> itself, as <c>~XX</c> (two hex digits), which keeps the mapping injective.
/// </summary>
internal static class TableKeys
{
    private const char EscapeChar = '~';

    /// <summary>
    /// Escapes <paramref name="value"/>; <paramref name="alsoEscape"/> lists extra characters (below U+0100) to
    /// escape, e.g. a separator that must then only occur between escaped parts.
    /// </summary>
    public static string Escape(string value, string alsoEscape = "")
    {
        if (!value.Any(c => MustEscape(c, alsoEscape)))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (MustEscape(c, alsoEscape))
            {
                builder.Append(EscapeChar).Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    public static string Unescape(string key)
    {
        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == EscapeChar)
            {
                builder.Append((char)int.Parse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }
        return builder.ToString();
    }

    // Every escaped character is below U+0100 (control characters end at U+009F), so two hex digits suffice.
    private static bool MustEscape(char c, string alsoEscape) =>
        c is '/' or '\\' or '#' or '?' or '%' or '\'' or EscapeChar || char.IsControl(c) || alsoEscape.Contains(c);
}
