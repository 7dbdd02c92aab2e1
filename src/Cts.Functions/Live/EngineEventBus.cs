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
/// <remarks>
/// Ids start at this node's start time in microseconds since the Unix epoch and count up, so an id from before a restart
/// is below every id of this run. A client whose <c>Last-Event-ID</c> is older than what the window still holds, or that
/// this run never issued (another node's, a previous run's, or not a number), cannot be told what it missed: its
/// subscription carries a <see cref="ReplayGap"/>, and the stream starts with a <c>reset</c> event telling it to reload
/// status-all before the replay of what the window does hold.
/// </remarks>
public sealed class EngineEventBus(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private const int MaxKept = 20_000;
    private const int SubscriberCapacity = 2_000;

    private readonly Lock _gate = new();
    private readonly LinkedList<EngineEvent> _recent = new();
    private readonly List<Channel<EngineEvent>> _subscribers = [];

    /// <summary>The id before this run's first: every id this run issues is greater.</summary>
    private readonly long _firstId = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    private long _nextId = -1;

    /// <summary>The greatest id of a replayable event that has left the window (0: none has).</summary>
    private long _newestDroppedId;
    private Action<RelayedEvent>? _forward;
    private int _subscriberCount;
    private Action<EngineEvent>? _observers;

    /// <summary>An event of an engine hosted on this node: delivered here and forwarded to the other nodes.</summary>
    public void Publish(string type, string connectionId, object data)
    {
        var at = time.GetUtcNow();
        Append(type, connectionId, at, data);
        // Built only for a relay with somewhere to send it: a node alone publishes ten thousand health events a second.
        Volatile.Read(ref _forward)?.Invoke(new RelayedEvent(type, connectionId, at, data));
    }

    /// <summary>
    /// Whether an <c>engine-health</c> event published now would reach anyone but this node's observers: a live-stream
    /// subscriber or the relay to other nodes. Without one an engine hands its status to the board directly.
    /// </summary>
    public bool HealthHasAudience => Volatile.Read(ref _subscriberCount) > 0 || Volatile.Read(ref _forward) is not null;

    /// <summary>Events another node published: delivered here only.</summary>
    public void PublishFromPeer(IEnumerable<RelayedEvent> batch)
    {
        foreach (var relayed in batch)
        {
            Append(relayed.Type, relayed.ConnectionId, relayed.At, relayed.Data);
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

    /// <summary>
    /// Hands every locally published event to <paramref name="forward"/> (the relay; it must not block), or to nothing
    /// with null (the relay has no peers).
    /// </summary>
    public void ForwardLocalEvents(Action<RelayedEvent>? forward) => Volatile.Write(ref _forward, forward);

    private void Append(string type, string connectionId, DateTimeOffset at, object data)
    {
        EngineEvent item;
        Action<EngineEvent>? observers;
        lock (_gate)
        {
            item = new EngineEvent(NextId(), type, connectionId, at, data);
            if (type != EngineEventTypes.Health)
            {
                _recent.AddLast(item);
            }
            Prune();
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Writer.TryWrite(item))
                {
                    _subscribers[i].Writer.TryComplete();
                    _subscribers.RemoveAt(i);
                    Volatile.Write(ref _subscriberCount, _subscribers.Count);
                }
            }
            observers = _observers;
        }
        // Outside the lock: an observer's work (the status board serializes the status) never holds up other
        // publishers. One engine publishes from one grain turn at a time, so its own events still arrive in order.
        observers?.Invoke(item);
    }

    /// <summary>
    /// Events after <paramref name="lastEventId"/> still in the window, then every new one, in order; with a
    /// <see cref="ReplayGap"/> when the window cannot say what the client missed since that id.
    /// </summary>
    public EventSubscription Subscribe(long? lastEventId)
    {
        var channel = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(SubscriberCapacity) { SingleReader = true });
        lock (_gate)
        {
            Prune();
            var missed = lastEventId is { } last ? _recent.Where(e => e.Id > last).ToList() : [];
            var gap = lastEventId is { } seen ? GapAfter(seen) : null;
            _subscribers.Add(channel);
            Volatile.Write(ref _subscriberCount, _subscribers.Count);
            return new EventSubscription(missed, channel.Reader, () =>
            {
                lock (_gate)
                {
                    _subscribers.Remove(channel);
                    Volatile.Write(ref _subscriberCount, _subscribers.Count);
                }
            }, gap);
        }
    }

    /// <summary>Why events after <paramref name="lastEventId"/> may be missing from the window, or null when none are.</summary>
    private ReplayGap? GapAfter(long lastEventId)
    {
        var newest = _nextId < 0 ? _firstId : _nextId;
        var oldestKept = _recent.First?.Value.Id;
        // Resuming from the reset itself replays what the window holds now, and nothing is reset twice.
        var resumeId = oldestKept is { } oldest ? oldest - 1 : newest;
        if (lastEventId < _firstId || lastEventId > newest)
        {
            return new ReplayGap(ReplayGap.UnknownEventId, lastEventId, resumeId, oldestKept);
        }
        return lastEventId < _newestDroppedId ? new ReplayGap(ReplayGap.WindowExceeded, lastEventId, resumeId, oldestKept) : null;
    }

    /// <summary>Drops what is older than the window or beyond the cap, remembering the newest id dropped. Under the lock.</summary>
    private void Prune()
    {
        var now = time.GetUtcNow();
        while (_recent.Count > MaxKept || (_recent.First is { } first && now - first.Value.At > Window))
        {
            _newestDroppedId = _recent.First!.Value.Id;
            _recent.RemoveFirst();
        }
    }

    private long NextId() => _nextId = _nextId < 0 ? _firstId + 1 : _nextId + 1;
}

/// <summary>A subscriber's view of the bus: what it missed, the live events, how to leave, and whether replay has a gap.</summary>
public sealed record EventSubscription(
    IReadOnlyList<EngineEvent> Missed, ChannelReader<EngineEvent> Live, Action Unsubscribe, ReplayGap? Gap);

/// <summary>
/// A reconnect the window cannot bring up to date: the client must reload status-all. <see cref="ResumeId"/> is the id
/// the <c>reset</c> event carries (the one before the oldest event still kept, so a reconnect from it replays the window
/// without another reset).
/// </summary>
public sealed record ReplayGap(string Reason, long LastEventId, long ResumeId, long? OldestEventId)
{
    /// <summary>The id is older than the oldest event the window still keeps: events after it were dropped.</summary>
    public const string WindowExceeded = "replay-window-exceeded";

    /// <summary>This node's current run never issued the id: another node's, one from before a restart, or not an id.</summary>
    public const string UnknownEventId = "unknown-event-id";
}
