namespace Cts.Functions.Live;

/// <summary>
/// The relay's membership list (key 0, one per cluster). It holds nothing durable: a node that has not joined again
/// within <see cref="Expiry"/> is dropped, and if this grain moves to another silo every node is back within one
/// heartbeat.
/// </summary>
public sealed class EventRelayDirectoryGrain(TimeProvider time) : Grain, IEventRelayDirectoryGrain
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(20);

    private readonly Dictionary<string, (IEngineEventRelay Inbox, DateTimeOffset Seen)> _members = new(StringComparer.Ordinal);

    public Task<RelayPeer[]> Join(string nodeId, IEngineEventRelay inbox)
    {
        var now = time.GetUtcNow();
        _members[nodeId] = (inbox, now);
        foreach (var expired in _members.Where(m => now - m.Value.Seen > Expiry).Select(m => m.Key).ToList())
        {
            _members.Remove(expired);
        }
        return Task.FromResult(_members.Where(m => m.Key != nodeId).Select(m => new RelayPeer(m.Key, m.Value.Inbox)).ToArray());
    }

    public Task Leave(string nodeId)
    {
        _members.Remove(nodeId);
        return Task.CompletedTask;
    }
}
