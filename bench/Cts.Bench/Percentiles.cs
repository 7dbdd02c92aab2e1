namespace Cts.Bench;

/// <summary>p50/p95/p99 of a set of samples (nearest rank) or of a Prometheus histogram (linear within a bucket).</summary>
public sealed record Percentiles(double P50, double P95, double P99, long Count, bool Overflow = false)
{
    public static Percentiles Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return new Percentiles(double.NaN, double.NaN, double.NaN, 0);
        }
        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(At(0.50), At(0.95), At(0.99), sorted.Length);
    }

    /// <summary>
    /// From cumulative bucket counts (upper bound → observations ≤ it, the last bound +∞). A quantile in the +∞ bucket
    /// is reported as the last finite bound with <see cref="Overflow"/> set ("more than").
    /// </summary>
    public static Percentiles OfHistogram(IReadOnlyList<(double UpperBound, double Cumulative)> buckets)
    {
        var total = buckets.Count == 0 ? 0 : buckets[^1].Cumulative;
        if (total <= 0)
        {
            return new Percentiles(double.NaN, double.NaN, double.NaN, 0);
        }
        var overflow = false;
        double At(double q)
        {
            var rank = q * total;
            var (lower, below) = (0.0, 0.0);
            foreach (var (bound, cumulative) in buckets)
            {
                if (cumulative >= rank)
                {
                    if (double.IsPositiveInfinity(bound))
                    {
                        overflow = true;
                        return lower;
                    }
                    var inBucket = cumulative - below;
                    return inBucket <= 0 ? bound : lower + (bound - lower) * (rank - below) / inBucket;
                }
                (lower, below) = (bound, cumulative);
            }
            return lower;
        }
        return new Percentiles(At(0.50), At(0.95), At(0.99), (long)total, overflow);
    }

    public override string ToString() => Count == 0
        ? "no samples"
        : $"{Ms(P50)} / {Ms(P95)} / {(Overflow ? "> " : "")}{Ms(P99)} ms";

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.0" : "0", System.Globalization.CultureInfo.InvariantCulture);
}
