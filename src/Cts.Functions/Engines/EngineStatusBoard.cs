using System.Collections.Concurrent;
using Cts.Functions.Live;
using Cts.Functions.Storage;

namespace Cts.Functions.Engines;

/// <summary>
/// The status-all projection: every connection of the cluster with its engine's latest status document, kept on each
/// node so <c>GET /api/engines</c> reads memory instead of calling ten thousand grains. It is fed by the live events
/// (an engine publishes its status on every transition, after every other state write and at most once a second
/// while it runs; other nodes' events come through the relay; a running engine's once-a-second status comes straight
/// to <see cref="Take"/> when no live stream or other node would carry it) and by this node's connection writes (created and
/// deleted connections are announced on the stream so the other nodes' boards follow). It loads the connections table
/// on first use, asks an engine itself only when a page needs a status it has not heard yet, and reconciles with the table
/// every <see cref="ReconcileInterval"/> to repair anything a lost node took with it.
/// </summary>
public sealed partial class EngineStatusBoard : BackgroundService
{
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(30);
    private const int Parallelism = 64;

    private readonly ConcurrentDictionary<string, StatusLine> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private readonly ConnectionStore _connections;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger<EngineStatusBoard> _logger;
    private long _version;
    private long _membership;
    private SortedIdsSnapshot _sorted = new(-1, []);
    private volatile bool _loaded;

    public EngineStatusBoard(EngineEventBus bus, ConnectionStore connections, IGrainFactory grains, TimeProvider time,
        ILogger<EngineStatusBoard> logger)
    {
        (_connections, _grains, _time, _logger) = (connections, grains, time, logger);
        bus.Observe(OnEvent);
        connections.Changed += (id, deleted) => bus.Publish(deleted ? EngineEventTypes.ConnectionDeleted : EngineEventTypes.ConnectionCreated, id, new ConnectionNotice(id));
    }

    private StatusLine Unknown(DateTimeOffset at) => new(at, Interlocked.Increment(ref _version));

    private sealed record SortedIdsSnapshot(long Membership, string[] Ids);

    /// <summary>
    /// A page of statuses in connection-id order after <paramref name="afterId"/>, only those in
    /// <paramref name="state"/> when given; <c>Next</c> is the id to continue after, and <c>Tag</c> changes whenever
    /// anything on the page does.
    /// </summary>
    public async Task<BoardPage> PageAsync(string? state, int top, string? afterId, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        var ids = SortedIds();
        var lines = new List<StatusLine>(Math.Min(top, ids.Length));
        using var tag = new PageTag();
        var position = afterId is null ? 0 : FirstAfter(ids, afterId);
        while (position < ids.Length && lines.Count < top)
        {
            var chunk = new ArraySegment<string>(ids, position, Math.Min(top - lines.Count, ids.Length - position));
            position += chunk.Count;
            if (chunk.Any(id => _entries.TryGetValue(id, out var e) && !e.Known))
            {
                await ResolveAsync(chunk.Where(id => _entries.TryGetValue(id, out var e) && !e.Known), cancellationToken);
            }
            foreach (var id in chunk)
            {
                if (_entries.TryGetValue(id, out var line) && line.Known
                    && (state is null || string.Equals(line.State, state, StringComparison.OrdinalIgnoreCase)))
                {
                    lines.Add(line);
                    tag.Add(id, line.Version);
                }
            }
        }
        var next = position < ids.Length ? ids[position - 1] : null;
        return new BoardPage(lines, next, tag.Finish(next));
    }

    /// <summary>The listed ids in ordinal order, sorted again only after the membership changed.</summary>
    private string[] SortedIds()
    {
        var membership = Volatile.Read(ref _membership);
        var sorted = _sorted;
        if (sorted.Membership == membership)
        {
            return sorted.Ids;
        }
        var ids = _entries.Keys.ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        _sorted = new SortedIdsSnapshot(membership, ids);
        return ids;
    }

    /// <summary>The index of the first id after <paramref name="afterId"/> in <paramref name="ids"/>.</summary>
    private static int FirstAfter(string[] ids, string afterId)
    {
        var at = Array.BinarySearch(ids, afterId, StringComparer.Ordinal);
        return at >= 0 ? at + 1 : ~at;
    }

    private void MembershipChanged() => Interlocked.Increment(ref _membership);

    /// <summary>
    /// Whether the board lists <paramref name="connectionId"/>. A connection created on another node a moment ago may
    /// not be listed yet, so false means "ask the table", not "does not exist".
    /// </summary>
    public async Task<bool> ListsAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        return _entries.ContainsKey(connectionId);
    }

    /// <summary>
    /// A status document an engine of this node hands over directly, current at <paramref name="at"/>: its health
    /// while no live event would carry it (<see cref="EngineEventBus.HealthHasAudience"/>).
    /// </summary>
    public void Take(string connectionId, ReadOnlySpan<byte> json, string state, DateTimeOffset at, bool onlyIfUnknown = false)
    {
        if (_entries.TryGetValue(connectionId, out var line))
        {
            // A late event from the node that hosted the engine before is refused by the line.
            line.Take(json, state, at, Interlocked.Increment(ref _version), onlyIfUnknown);
        }
    }

    /// <summary>A status read straight from an engine: the freshest there is, so the board takes it too.</summary>
    public void Offer(EngineStatus status) => Upsert(status.ConnectionId, status, _time.GetUtcNow());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReconcileInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!_loaded)
                {
                    continue;
                }
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever failed, the board keeps serving what the events keep current and tries again next
                    // time: a failed background service would stop the whole host (seen at 10,000 engines, when the
                    // listing timed out in the recovery rush and the host exited with code 0).
                    LogReconcileFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void OnEvent(EngineEvent e)
    {
        switch (e.Type)
        {
            case EngineEventTypes.State or EngineEventTypes.Health when e.Data is EngineStatus status:
                Upsert(e.ConnectionId, status, e.At);
                break;
            case EngineEventTypes.ConnectionCreated:
                if (_entries.TryAdd(e.ConnectionId, Unknown(e.At)))
                {
                    MembershipChanged();
                }
                break;
            case EngineEventTypes.ConnectionDeleted:
                if (_entries.TryRemove(e.ConnectionId, out _))
                {
                    MembershipChanged();
                }
                break;
        }
    }

    /// <summary>
    /// Takes a newer status of a connection the board lists. A connection it does not list (deleted, or announced
    /// later by another node) is left out: when it is announced it is asked for its status on the next read.
    /// </summary>
    private void Upsert(string id, EngineStatus status, DateTimeOffset at, bool onlyIfUnknown = false) =>
        Take(id, StatusJson.Write(status), status.State, at, onlyIfUnknown);

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }
        await _loadGate.WaitAsync(cancellationToken);
        try
        {
            if (!_loaded)
            {
                await ReconcileAsync(cancellationToken);
                _loaded = true;
            }
        }
        finally
        {
            _loadGate.Release();
        }
    }

    /// <summary>Makes the board list exactly the connections in the table; statuses it lacks are asked for when read.</summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        try
        {
            var stored = (await _connections.ListIdsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            foreach (var id in stored)
            {
                if (_entries.TryAdd(id, Unknown(startedAt)))
                {
                    MembershipChanged();
                }
            }
            // Gone from the table and not heard of since the read began: deleted on a node that did not say so.
            foreach (var (id, line) in _entries.Where(e => !stored.Contains(e.Key) && e.Value.At < startedAt).ToList())
            {
                if (_entries.TryRemove(new KeyValuePair<string, StatusLine>(id, line)))
                {
                    if (line.At >= startedAt)
                    {
                        _entries.TryAdd(id, line); // heard of between the check and the removal: it exists after all
                        continue;
                    }
                    MembershipChanged();
                }
            }
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e) && _loaded)
        {
            LogReconcileFailed(e); // keep serving what the events keep current; try again next time
        }
    }

    /// <summary>Every listed connection's engine state as the board knows it (null until heard), without asking any engine.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> StatesAsync(CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        return _entries.ToDictionary(e => e.Key, e => e.Value.State, StringComparer.Ordinal);
    }

    private Task ResolveAsync(IEnumerable<string> ids, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(ids.ToList(), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (id, _) =>
            {
                var status = await _grains.GetGrain<IEngineGrain>(id).GetStatus();
                // Only fill a line still waiting: an event that came meanwhile is at least as new.
                Upsert(id, status, _time.GetUtcNow(), onlyIfUnknown: true);
            });

    [LoggerMessage(LogLevel.Warning, "Status board: could not reconcile with the connections table; serving what the live events keep current")]
    private partial void LogReconcileFailed(Exception exception);
}

/// <summary>A page of the status board: the lines on it (each with its engine's status document), the id to continue after, and an entity tag of the page.</summary>
public sealed record BoardPage(IReadOnlyList<StatusLine> Lines, string? Next, string ETag);
