using System.Threading.Channels;

namespace Cts.Functions.Live;

/// <summary>
/// The live events of the whole cluster as this node sees them: those of the engines it hosts, published here, and
/// those of other nodes, brought by the <see cref="ClusterEventRelay"/>. Each is numbered in this node's order and
/// kept for <see cref="Window"/> so a client that reconnects with <c>Last-Event-ID</c> misses nothing recent.
/// Subscribers get their own bounded channel; a subscriber that cannot keep up is dropped (it reconnects and
/// replays), so a slow browser never slows an engine. <c>engine-health</c> events go to subscribers but are not kept
/// for replay: each supersedes the last and a running engine sends the next within a second, while ten thousand
/// engines' health would otherwise push the transitions a client missed out of the window in two seconds.
/// </summary>
public sealed class EngineEventBus(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private const int MaxKept = 20_000;
    private const int SubscriberCapacity = 2_000;

    private readonly Lock _gate = new();
    private readonly LinkedList<EngineEvent> _recent = new();
    private readonly List<Channel<EngineEvent>> _subscribers = [];
    private long _nextId;
    private Action<RelayedEvent>? _forward;
    private Action<EngineEvent>? _observers;

    /// <summary>An event of an engine hosted on this node: delivered here and forwarded to the other nodes.</summary>
    public void Publish(string type, string connectionId, object data)
    {
        var relayed = new RelayedEvent(type, connectionId, time.GetUtcNow(), data);
        Append(relayed);
        _forward?.Invoke(relayed);
    }

    /// <summary>Events another node published: delivered here only.</summary>
    public void PublishFromPeer(IEnumerable<RelayedEvent> batch)
    {
        foreach (var relayed in batch)
        {
            Append(relayed);
        }
    }

    /// <summary>Shows every event, local or from a peer, to <paramref name="observer"/> in order, as it is appended; it must not block.</summary>
    public void Observe(Action<EngineEvent> observer)
    {
        lock (_gate)
        {
            _observers += observer;
        }
    }

    /// <summary>Hands every locally published event to <paramref name="forward"/> (the relay; it must not block).</summary>
    public void ForwardLocalEvents(Action<RelayedEvent> forward) => _forward = forward;

    private void Append(RelayedEvent relayed)
    {
        EngineEvent item;
        Action<EngineEvent>? observers;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            item = new EngineEvent(++_nextId, relayed.Type, relayed.ConnectionId, relayed.At, relayed.Data);
            if (relayed.Type != EngineEventTypes.Health)
            {
                _recent.AddLast(item);
            }
            while (_recent.Count > MaxKept || (_recent.First is { } first && now - first.Value.At > Window))
            {
                _recent.RemoveFirst();
            }
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Writer.TryWrite(item))
                {
                    _subscribers[i].Writer.TryComplete();
                    _subscribers.RemoveAt(i);
                }
            }
            observers = _observers;
        }
        // Outside the lock: an observer's work (the status board serializes the status) never holds up other
        // publishers. One engine publishes from one grain turn at a time, so its own events still arrive in order.
        observers?.Invoke(item);
    }

    /// <summary>Events after <paramref name="lastEventId"/> still in the window, then every new one, in order.</summary>
    public (IReadOnlyList<EngineEvent> Missed, ChannelReader<EngineEvent> Live, Action Unsubscribe) Subscribe(long? lastEventId)
    {
        var channel = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(SubscriberCapacity) { SingleReader = true });
        lock (_gate)
        {
            var missed = lastEventId is { } last ? _recent.Where(e => e.Id > last).ToList() : [];
            _subscribers.Add(channel);
            return (missed, channel.Reader, () =>
            {
                lock (_gate)
                {
                    _subscribers.Remove(channel);
                }
            });
        }
    }
}
