using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Storage;

/// <summary>
/// Hands out the project's tables by logical name (<c>connections</c>, <c>grainstate</c>, …), applying the
/// configured prefix and creating each table once per process. Each table's requests travel on its
/// <see cref="StorageLane"/>'s client: the trade path on one with its own connections and a bound on requests in
/// flight (<see cref="InFlightLimit"/>), everything else on the other.
/// </summary>
public sealed class CtsTables
{
    private readonly TableServiceClient _control;
    private readonly TableServiceClient _trading;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new();

    public CtsTables(IOptions<StorageOptions> options)
        : this(new TableServiceClient(options.Value.ConnectionString, ClientOptions(options.Value.Prefix, StorageLane.Control)),
            new TableServiceClient(options.Value.ConnectionString, ClientOptions(options.Value.Prefix, StorageLane.Trading)),
            options.Value.Prefix)
    {
    }

    /// <summary>One client for both lanes (a store under test that does not care about lanes).</summary>
    public CtsTables(TableServiceClient service, string prefix)
        : this(service, service, prefix)
    {
    }

    public CtsTables(TableServiceClient control, TableServiceClient trading, string prefix)
    {
        _control = control;
        _trading = trading;
        _prefix = prefix;
    }

    /// <summary>The control lane's client (tables are created and listed on it).</summary>
    public TableServiceClient Service => _control;

    /// <summary>At most this many connections to the storage endpoint for the control lane: when it slows, requests wait here instead of opening more.</summary>
    public const int MaxConnections = 64;

    /// <summary>
    /// The trading lane's connections, and its bound on requests in flight: a 10,000-engine trade wave costs storage
    /// at most this many requests at once, and the rest wait in the node (dropped unsent when their caller gives up).
    /// </summary>
    public const int MaxTradingInFlight = 32;

    /// <summary>
    /// Storage calls retry transient faults with exponential backoff (the SDK's retry policy, one place for all
    /// tables), kept short so an outage is noticed in seconds rather than stalling an engine's turn. Every write is
    /// counted (<see cref="StorageWriteCounter"/>) by its table's name without <paramref name="prefix"/>. Connections
    /// are bounded (<see cref="MaxConnections"/>): with thousands of engines, a storage endpoint that stalls for a
    /// moment would otherwise be hit by hundreds of new connections at once and stall longer. The trading lane has
    /// connections of its own, as many as its <see cref="InFlightLimit"/> lets through, so its requests wait in that
    /// limit (outside the network timeout) and never in the HTTP handler's queue; <paramref name="limit"/> is that
    /// limit (a new one of <see cref="MaxTradingInFlight"/> when not given). A transaction's body is written once
    /// (<see cref="TransactionBodyOnce"/>).
    /// </summary>
    public static TableClientOptions ClientOptions(string prefix, StorageLane lane = StorageLane.Control, InFlightLimit? limit = null)
    {
        var options = new TableClientOptions
        {
            Transport = new Azure.Core.Pipeline.HttpClientTransport(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = lane == StorageLane.Trading ? MaxTradingInFlight : MaxConnections,
            }),
        };
        options.AddPolicy(new StorageWriteCounter(prefix), HttpPipelinePosition.PerCall);
        if (lane == StorageLane.Trading)
        {
            options.AddPolicy(limit ?? new InFlightLimit(lane, MaxTradingInFlight), HttpPipelinePosition.PerRetry);
        }
        options.AddPolicy(new TransactionBodyOnce(), HttpPipelinePosition.PerRetry);
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return options;
    }

    /// <summary>The full table name for a logical name: the prefix followed by the name, letters and digits only.</summary>
    public string NameOf(string logicalName) => _prefix + logicalName;

    /// <summary>The table for a logical name, created if it does not exist yet, on its lane's client.</summary>
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

    /// <summary>
    /// The table for a logical name on <paramref name="lane"/>, whatever its own lane: the reads that start or recover
    /// an engine (its trading partition) travel on the control lane, so a start during a trade wave does not wait
    /// behind the wave's orders.
    /// </summary>
    public async Task<TableClient> GetAsync(string logicalName, StorageLane lane, CancellationToken cancellationToken = default)
    {
        var table = await GetAsync(logicalName, cancellationToken).ConfigureAwait(false);
        return StorageLanes.Of(logicalName) == lane ? table : ClientOf(lane).GetTableClient(table.Name);
    }

    private TableServiceClient ClientOf(StorageLane lane) => lane == StorageLane.Trading ? _trading : _control;

    private async Task<TableClient> CreateAsync(string logicalName)
    {
        // Created on the control lane: a first order of a wave does not wait behind the others to create its table.
        await _control.GetTableClient(NameOf(logicalName)).CreateIfNotExistsAsync().ConfigureAwait(false);
        return ClientOf(StorageLanes.Of(logicalName)).GetTableClient(NameOf(logicalName));
    }
}
