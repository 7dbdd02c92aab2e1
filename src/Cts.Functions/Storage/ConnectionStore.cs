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

    public Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(Connection connection, CancellationToken cancellationToken = default) =>
        _documents.CreateAsync(connection.Id, connection, cancellationToken);

    /// <summary>Replaces a connection if it still has <paramref name="ifMatch"/>.</summary>
    public Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(Connection connection, string ifMatch,
        CancellationToken cancellationToken = default) =>
        _documents.ReplaceAsync(connection.Id, connection, ifMatch, cancellationToken);

    public Task<WriteOutcome> DeleteAsync(string id, string ifMatch, CancellationToken cancellationToken = default) =>
        _documents.DeleteAsync(id, ifMatch, cancellationToken);
}
