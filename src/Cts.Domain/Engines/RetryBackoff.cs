using Cts.Domain.Config;
using Cts.Domain.Market;

namespace Cts.Domain.Engines;

/// <summary>
/// When a failed engine tries again: exponential backoff from <c>baseDelaySeconds</c>, capped at
/// <c>maxDelaySeconds</c>, with ±20 % jitter so engines that failed together do not retry together. The jitter is
/// drawn from a hash of (engine, attempt): deterministic, so a test or a restarted node computes the same delay.
/// </summary>
public static class RetryBackoff
{
    public const double Jitter = 0.2;

    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based).</summary>
    public static TimeSpan Delay(StartRetryPolicy policy, int attempt, string engineId)
    {
        var exponential = policy.BaseDelaySeconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, policy.MaxDelaySeconds);
        var unit = StableHash.Unit(StableHash.Mix(StableHash.Of(engineId), (ulong)attempt));
        var factor = 1 - Jitter + 2 * Jitter * unit;
        return TimeSpan.FromSeconds(Math.Min(capped * factor, policy.MaxDelaySeconds));
    }
}
