using Cts.Domain.Market;

namespace Cts.Domain.Trading;

/// <summary>
/// When an engine's cycles may next try to settle its unsettled orders after a reconcile failed. Cycles run every
/// second; without a backoff, 10,000 engines whose orders a storage or venue outage left pending would each ask again
/// every cycle, and that load alone keeps the outage going (seen at 10,000 engines when they all traded in one cycle).
/// </summary>
/// <remarks>
/// The delay doubles per consecutive failure from <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>, and is drawn
/// from [delay / 2, delay] by a hash of the connection id and the failure count: the same on every run (seeded, not
/// random), yet different per engine, so engines that failed together do not retry together. A success resets it.
/// </remarks>
public sealed class ReconcileBackoff(string connectionId)
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly ulong _seed = StableHash.Of(connectionId);

    /// <summary>Consecutive failed reconciles.</summary>
    public int Failures { get; private set; }

    /// <summary>The earliest time the next reconcile may run; <see cref="DateTimeOffset.MinValue"/> when not backing off.</summary>
    public DateTimeOffset NextAt { get; private set; } = DateTimeOffset.MinValue;

    public bool IsDue(DateTimeOffset now) => now >= NextAt;

    public void Failed(DateTimeOffset now)
    {
        Failures++;
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(Failures - 1, 30)));
        var share = 0.5 + 0.5 * StableHash.Unit(StableHash.Mix(_seed, (ulong)Failures));
        NextAt = now + TimeSpan.FromMilliseconds(ceiling * share);
    }

    public void Succeeded()
    {
        Failures = 0;
        NextAt = DateTimeOffset.MinValue;
    }
}
