using Cts.Domain.Connections;

namespace Cts.Functions.Storage;

/// <summary>
/// The connections table: the owner of connection configuration, one document per connection
/// (RowKey the id), every update conditional on the row's ETag.
/// </summary>
public sealed class ConnectionStore(CtsTables tables)
{
    public const string TableName = "connections";

    private readonly DocumentStore<Connection> _documents = new(tables, TableName, "connection");

    public Task<Versioned<Connection>?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _documents.GetAsync(id, cancellationToken);

    public Task<(IReadOnlyList<Versioned<Connection>> Items, string? ContinuationToken)> ListAsync(
        int top, string? continuationToken, CancellationToken cancellationToken = default) =>
        _documents.ListAsync(top, continuationToken, cancellationToken);

    public Task<IReadOnlyList<Versioned<Connection>>> ListAllAsync(CancellationToken cancellationToken = default) =>
        _documents.ListAllAsync(cancellationToken);

    /// <summary>The id of every connection, without reading the connections.</summary>
    public Task<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken = default) =>
        _documents.ListIdsAsync(cancellationToken);

    /// <summary>Told of every connection this node creates or deletes (id, deleted), after the write; must not block.</summary>
    public event Action<string, bool>? Changed;

    public async Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        var result = await _documents.CreateAsync(connection.Id, connection, cancellationToken);
        if (result.Outcome == WriteOutcome.Written)
        {
            Changed?.Invoke(connection.Id, false);
        }
        return result;
    }

    /// <summary>Replaces a connection if it still has <paramref name="ifMatch"/>.</summary>
    public Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(Connection connection, string ifMatch,
        CancellationToken cancellationToken = default) =>
        _documents.ReplaceAsync(connection.Id, connection, ifMatch, cancellationToken);

    public async Task<WriteOutcome> DeleteAsync(string id, string ifMatch, CancellationToken cancellationToken = default)
    {
        var outcome = await _documents.DeleteAsync(id, ifMatch, cancellationToken);
        if (outcome == WriteOutcome.Written)
        {
            Changed?.Invoke(id, true);
        }
        return outcome;
    }
}
