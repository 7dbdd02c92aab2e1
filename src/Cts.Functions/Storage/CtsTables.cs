using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Storage;

/// <summary>
/// Hands out the project's tables by logical name (<c>connections</c>, <c>grainstate</c>, …), applying the
/// configured prefix and creating each table once per process.
/// </summary>
public sealed class CtsTables
{
    private readonly TableServiceClient _service;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new();

    public CtsTables(IOptions<StorageOptions> options)
        : this(new TableServiceClient(options.Value.ConnectionString, ClientOptions(options.Value.Prefix)), options.Value.Prefix)
    {
    }

    public CtsTables(TableServiceClient service, string prefix)
    {
        _service = service;
        _prefix = prefix;
    }

    public TableServiceClient Service => _service;

    /// <summary>At most this many connections to the storage endpoint: when it slows, requests wait here instead of opening more.</summary>
    public const int MaxConnections = 64;

    /// <summary>
    /// Storage calls retry transient faults with exponential backoff (the SDK's retry policy, one place for all
    /// tables), kept short so an outage is noticed in seconds rather than stalling an engine's turn. Every write is
    /// counted (<see cref="StorageWriteCounter"/>) by its table's name without <paramref name="prefix"/>. Connections
    /// are bounded (<see cref="MaxConnections"/>): with thousands of engines, a storage endpoint that stalls for a
    /// moment would otherwise be hit by hundreds of new connections at once and stall longer.
    /// </summary>
    public static TableClientOptions ClientOptions(string prefix)
    {
        var options = new TableClientOptions
        {
            Transport = new Azure.Core.Pipeline.HttpClientTransport(new SocketsHttpHandler { MaxConnectionsPerServer = MaxConnections }),
        };
        options.AddPolicy(new StorageWriteCounter(prefix), HttpPipelinePosition.PerCall);
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return options;
    }

    /// <summary>The full table name for a logical name: the prefix followed by the name, letters and digits only.</summary>
    public string NameOf(string logicalName) => _prefix + logicalName;

    /// <summary>The table for a logical name, created if it does not exist yet.</summary>
    public Task<TableClient> GetAsync(string logicalName, CancellationToken cancellationToken = default)
    {
        var lazy = _tables.GetOrAdd(logicalName, name => new Lazy<Task<TableClient>>(() => CreateAsync(name)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // Do not cache a failure (storage may have been down): the next caller tries again.
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(logicalName, lazy));
        }
        return task.WaitAsync(cancellationToken);
    }

    private async Task<TableClient> CreateAsync(string logicalName)
    {
        var client = _service.GetTableClient(NameOf(logicalName));
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }
}
