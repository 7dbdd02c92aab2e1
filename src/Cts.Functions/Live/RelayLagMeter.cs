namespace Cts.Functions.Live;

/// <summary>
/// How late other nodes' live events reach this node: for each batch the relay delivers, the age of its newest event
/// (now minus when its engine published it). Keeps the last batch's lag and the largest over the last minute.
/// </summary>
public sealed class RelayLagMeter(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Queue<(DateTimeOffset At, double LagMs)> _recent = new();
    private long _events;

    /// <summary>A batch from a peer has just been delivered here.</summary>
    public void Delivered(IReadOnlyList<RelayedEvent> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        var newest = batch.Max(e => e.At);
        lock (_gate)
        {
            _events += batch.Count;
            _recent.Enqueue((now, Math.Max(0, (now - newest).TotalMilliseconds)));
            Trim(now);
        }
    }

    public RelayLag Read()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Trim(now);
            return new RelayLag(_events, _recent.Count > 0 ? _recent.Last().At : null, _recent.Count > 0 ? _recent.Last().LagMs : null,
                _recent.Count > 0 ? _recent.Max(r => r.LagMs) : null);
        }
    }

    private void Trim(DateTimeOffset now)
    {
        while (_recent.TryPeek(out var first) && now - first.At > Window)
        {
            _recent.Dequeue();
        }
    }
}

/// <summary>Relay lag into one node: events received from peers in total, when the last batch came, its lag, and the worst lag in the last minute.</summary>
public sealed record RelayLag(long EventsReceived, DateTimeOffset? LastBatchAt, double? LastLagMs, double? MaxLagMsLastMinute);
