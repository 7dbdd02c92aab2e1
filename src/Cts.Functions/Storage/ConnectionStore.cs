using Azure;
using Azure.Data.Tables;
using Cts.Domain.Connections;

namespace Cts.Functions.Storage;

/// <summary>
/// The connections table: the owner of connection configuration. One row per connection
/// (PartitionKey <c>connection</c>, RowKey the id), every update conditional on the row's ETag.
/// </summary>
public sealed class ConnectionStore(CtsTables tables)
{
    public const string TableName = "connections";
    private const string Partition = "connection";

    public async Task<Versioned<Connection>?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? new Versioned<Connection>(FromEntity(response.Value!), response.Value!.ETag.ToString()) : null;
    }

    /// <summary>A page of connections in id order, and the token of the next page (null at the end).</summary>
    public async Task<(IReadOnlyList<Versioned<Connection>> Items, string? ContinuationToken)> ListAsync(
        int top, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var pages = table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, maxPerPage: top, cancellationToken: cancellationToken)
            .AsPages(continuationToken, top);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            return (page.Values.Select(e => new Versioned<Connection>(FromEntity(e), e.ETag.ToString())).ToList(), page.ContinuationToken);
        }
        return ([], null);
    }

    public async Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.AddEntityAsync(ToEntity(connection), cancellationToken).ConfigureAwait(false);
            return (WriteOutcome.Written, response.Headers.ETag?.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (WriteOutcome.AlreadyExists, null);
        }
    }

    /// <summary>Replaces a connection if it still has <paramref name="ifMatch"/> (any ETag when null).</summary>
    public async Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(Connection connection, string ifMatch,
        CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(connection), new ETag(ifMatch), TableUpdateMode.Replace, cancellationToken)
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
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(Partition, id, new ETag(ifMatch), cancellationToken).ConfigureAwait(false);
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

    private static TableEntity ToEntity(Connection c) => new(Partition, c.Id)
    {
        ["Name"] = c.Name,
        ["Exchange"] = c.Exchange,
        ["Symbols"] = string.Join(',', c.Symbols),
        ["PresetId"] = c.PresetId,
        ["Testnet"] = c.Testnet,
        ["AutoStart"] = c.AutoStart,
        ["Version"] = c.Version,
        ["CreatedAt"] = c.CreatedAt,
        ["UpdatedAt"] = c.UpdatedAt,
    };

    private static Connection FromEntity(TableEntity e) => new(
        e.RowKey,
        e.GetString("Name") ?? e.RowKey,
        e.GetString("Exchange") ?? "paper",
        (e.GetString("Symbols") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
        e.GetString("PresetId"),
        e.GetBoolean("Testnet") ?? false,
        e.GetBoolean("AutoStart") ?? false,
        e.GetInt64("Version") ?? 1,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue);
}
