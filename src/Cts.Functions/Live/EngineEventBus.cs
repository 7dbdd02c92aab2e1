using System.Threading.Channels;

namespace Cts.Functions.Live;

/// <summary>
/// The live events of the engines hosted by this node, numbered in order and kept for <see cref="Window"/> so a client
/// that reconnects with <c>Last-Event-ID</c> misses nothing recent. Subscribers get their own bounded channel; a
/// subscriber that cannot keep up is dropped (it reconnects and replays), so a slow browser never slows an engine.
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

    public void Publish(string type, string connectionId, object data)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var item = new EngineEvent(++_nextId, type, connectionId, now, data);
            _recent.AddLast(item);
            while (_recent.Count > MaxKept || (_recent.First is { } first && now - first.Value.At > Window))
            {
                _recent.RemoveFirst();
            }
            foreach (var subscriber in _subscribers.ToList())
            {
                if (!subscriber.Writer.TryWrite(item))
                {
                    subscriber.Writer.TryComplete();
                    _subscribers.Remove(subscriber);
                }
            }
        }
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
