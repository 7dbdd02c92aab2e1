using System.Threading.Channels;
using Orleans.Runtime;

namespace Cts.Functions.Live;

/// <summary>
/// Makes the live stream cluster-wide: every node forwards the events of the engines it hosts to every other node,
/// in batches every <see cref="FlushInterval"/>, and delivers what the others send into its own
/// <see cref="EngineEventBus"/>. Peers are found through the <see cref="IEventRelayDirectoryGrain"/>, joined again
/// every <see cref="Heartbeat"/>. A peer that does not answer is skipped until the next heartbeat; events that pile
/// up beyond <see cref="OutboxCapacity"/> (a peer far behind) are dropped oldest first and counted, never blocking an
/// engine. With one node there are no peers and nothing is sent.
/// </summary>
public sealed partial class ClusterEventRelay(
    EngineEventBus bus, RelayLagMeter lag, IGrainFactory grains, ILocalSiloDetails silo, IHostApplicationLifetime lifetime,
    TimeProvider time, ILogger<ClusterEventRelay> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);
    private const int OutboxCapacity = 50_000;
    private const int MaxBatch = 2_000;

    private readonly Channel<RelayedEvent> _outbox = Channel.CreateBounded<RelayedEvent>(
        new BoundedChannelOptions(OutboxCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        _ => Observability.CtsMetrics.RecordRelayDropped());
    private RelayPeer[] _peers = [];
    private Action<RelayedEvent>? _forwardToOutbox;
    private Inbox? _inbox;
    private DateTimeOffset _nextJoin = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grains can be called once the co-hosted silo has started with the rest of the host.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        var nodeId = silo.SiloAddress.ToParsableString();
        // Orleans holds observers weakly: this field keeps the inbox alive as long as the relay.
        _inbox = new Inbox(bus, lag);
        var inbox = grains.CreateObjectReference<IEngineEventRelay>(_inbox);
        var directory = grains.GetGrain<IEventRelayDirectoryGrain>(0);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await JoinIfDueAsync(directory, nodeId, inbox);
                var batch = Drain();
                if (batch.Length > 0 && _peers.Length > 0)
                {
                    await Task.WhenAll(_peers.Select(peer => SendAsync(peer, batch)));
                }
                if (batch.Length < MaxBatch)
                {
                    await Task.Delay(FlushInterval, time, stopping.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            bus.ForwardLocalEvents(null);
            await LeaveAsync(directory, nodeId);
            grains.DeleteObjectReference<IEngineEventRelay>(inbox);
        }
    }

    private async Task JoinIfDueAsync(IEventRelayDirectoryGrain directory, string nodeId, IEngineEventRelay inbox)
    {
        var now = time.GetUtcNow();
        if (now < _nextJoin)
        {
            return;
        }
        _nextJoin = now + Heartbeat;
        try
        {
            var peers = await directory.Join(nodeId, inbox).WaitAsync(SendTimeout, time);
            if (peers.Length != _peers.Length)
            {
                LogPeers(peers.Length);
            }
            SetPeers(peers);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogJoinFailed(e);
        }
    }

    private RelayedEvent[] Drain()
    {
        var batch = new List<RelayedEvent>();
        while (batch.Count < MaxBatch && _outbox.Reader.TryRead(out var item))
        {
            batch.Add(item);
        }
        return [.. batch];
    }

    private async Task SendAsync(RelayPeer peer, RelayedEvent[] batch)
    {
        try
        {
            await peer.Inbox.Deliver(batch).WaitAsync(SendTimeout, time);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Gone or stuck: skip it until the directory lists it again (a node that left is not listed after its expiry).
            SetPeers(_peers.Where(p => p.NodeId != peer.NodeId).ToArray());
            LogSendFailed(peer.NodeId, batch.Length, e);
        }
    }

    /// <summary>
    /// Takes the peers to send to, and has the bus forward local events only while there are any: a node alone
    /// builds no relayed event and no batch (nothing would receive them; a peer that joins later gets what follows).
    /// </summary>
    private void SetPeers(RelayPeer[] peers)
    {
        _peers = peers;
        _forwardToOutbox ??= e => _outbox.Writer.TryWrite(e);
        bus.ForwardLocalEvents(peers.Length > 0 ? _forwardToOutbox : null);
    }

    private async Task LeaveAsync(IEventRelayDirectoryGrain directory, string nodeId)
    {
        try
        {
            await directory.Leave(nodeId).WaitAsync(TimeSpan.FromSeconds(1), time);
        }
        catch (Exception e)
        {
            // Shutting down: the directory forgets this node after its expiry anyway.
            LogLeaveFailed(e.Message);
        }
    }

    /// <summary>The observer other nodes call: delivers their events into this node's bus.</summary>
    private sealed class Inbox(EngineEventBus bus, RelayLagMeter lag) : IEngineEventRelay
    {
        public Task Deliver(RelayedEvent[] batch)
        {
            lag.Delivered(batch);
            bus.PublishFromPeer(batch);
            return Task.CompletedTask;
        }
    }

    [LoggerMessage(LogLevel.Information, "Live-event relay: {Count} other nodes")]
    private partial void LogPeers(int count);

    [LoggerMessage(LogLevel.Warning, "Live-event relay: could not join the directory; keeping the last known peers")]
    private partial void LogJoinFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Live-event relay: {Count} events not delivered to node {Node}; skipping it until the next heartbeat")]
    private partial void LogSendFailed(string node, int count, Exception exception);

    [LoggerMessage(LogLevel.Debug, "Live-event relay: leaving the directory failed ({Reason})")]
    private partial void LogLeaveFailed(string reason);
}
