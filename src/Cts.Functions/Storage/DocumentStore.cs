using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Cts.Functions.Storage;

/// <summary>
/// A table of JSON documents, one row each (PartitionKey fixed per kind, RowKey the id), with ETag optimistic
/// concurrency on every write. Configuration kinds (connections, presets, settings) are stored through it so each
/// is owned by exactly one table and every change is conditional.
/// </summary>
public sealed class DocumentStore<T>(CtsTables tables, string tableName, string partition) where T : class
{
    private const string Column = "Json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The query filter of this kind's rows, built once.</summary>
    private readonly string _partitionFilter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");

    public string TableName => tableName;

    public async Task<Versioned<T>?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? ToVersioned(response.Value!) : null;
    }

    /// <summary>A page of documents in id order, and the token of the next page (null at the end).</summary>
    public async Task<(IReadOnlyList<Versioned<T>> Items, string? ContinuationToken)> ListAsync(
        int top, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName, cancellationToken).ConfigureAwait(false);
        await foreach (var page in table.QueryAsync<TableEntity>(_partitionFilter, top, cancellationToken: cancellationToken)
                           .AsPages(continuationToken, top).ConfigureAwait(false))
        {
            return (page.Values.Select(ToVersioned).ToList(), page.ContinuationToken);
        }
        return ([], null);
    }

    /// <summary>Every document of this kind (for small kinds: presets, or a full export).</summary>
    public async Task<IReadOnlyList<Versioned<T>>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName, cancellationToken).ConfigureAwait(false);
        var items = new List<Versioned<T>>();
        await foreach (var entity in table.QueryAsync<TableEntity>(_partitionFilter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            items.Add(ToVersioned(entity));
        }
        return items;
    }

    /// <summary>
    /// The id of every document of this kind, read without the documents: the status board reconciles its listing
    /// with the connections every 30 s, and ten thousand documents read whole for their ids were ~1 MB/s of garbage.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName, cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(_partitionFilter, select: [nameof(TableEntity.RowKey)], cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            ids.Add(entity.RowKey);
        }
        return ids;
    }

    public async Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(string id, T document, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.AddEntityAsync(ToEntity(id, document), cancellationToken).ConfigureAwait(false);
            return (WriteOutcome.Written, response.Headers.ETag?.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (WriteOutcome.AlreadyExists, null);
        }
    }

    /// <summary>Replaces a document only if it still has <paramref name="ifMatch"/>.</summary>
    public async Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(string id, T document, string ifMatch,
        CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(id, document), new ETag(ifMatch), TableUpdateMode.Replace, cancellationToken)
                .ConfigureAwait(false);
            return (WriteOutcome.Written, response.Headers.ETag?.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (WriteOutcome.NotFound, null);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return (WriteOutcome.PreconditionFailed, null);
        }
    }

    public async Task<WriteOutcome> DeleteAsync(string id, string ifMatch, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(partition, id, new ETag(ifMatch), cancellationToken).ConfigureAwait(false);
            return WriteOutcome.Written;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return WriteOutcome.NotFound;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return WriteOutcome.PreconditionFailed;
        }
    }

    private TableEntity ToEntity(string id, T document) => new(partition, id)
    {
        [Column] = JsonSerializer.Serialize(document, Json),
    };

    private static Versioned<T> ToVersioned(TableEntity entity) =>
        new(JsonSerializer.Deserialize<T>(entity.GetString(Column)!, Json)!, entity.ETag.ToString());
}
