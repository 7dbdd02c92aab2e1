namespace Cts.Domain.Processors;

/// <summary>
/// Health of one processor measured from its real runs (SPEC §2): counters, the last and the p95 latency over a
/// rolling window of the most recent runs. Not thread-safe: one engine owns one instance and runs its cycles
/// one at a time.
/// </summary>
public sealed class ProcessorHealth
{
    /// <summary>How many recent latencies the p95 is computed over.</summary>
    public const int WindowSize = 128;

    private readonly double[] _window = new double[WindowSize];
    private int _windowCount;
    private int _windowNext;

    public long Runs { get; private set; }
    public long Successes { get; private set; }
    public long Failures { get; private set; }
    public int ConsecutiveFailures { get; private set; }
    public double? LastLatencyMs { get; private set; }
    public DateTimeOffset? LastRunAt { get; private set; }
    public DateTimeOffset? LastSuccessAt { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>Successes over runs; 1 before the first run, so a fresh engine does not look broken.</summary>
    public double SuccessRate => Runs == 0 ? 1.0 : (double)Successes / Runs;

    /// <summary>The 95th percentile (nearest rank) of the latencies in the window, or null before the first run.</summary>
    public double? P95LatencyMs
    {
        get
        {
            if (_windowCount == 0)
            {
                return null;
            }
            Span<double> sorted = stackalloc double[WindowSize];
            sorted = sorted[.._windowCount];
            _window.AsSpan(0, _windowCount).CopyTo(sorted);
            sorted.Sort();
            var rank = (int)Math.Ceiling(0.95 * sorted.Length);
            return sorted[Math.Max(rank, 1) - 1];
        }
    }

    public void RecordSuccess(DateTimeOffset at, TimeSpan latency)
    {
        Record(at, latency);
        Successes++;
        ConsecutiveFailures = 0;
        LastSuccessAt = at;
    }

    public void RecordFailure(DateTimeOffset at, TimeSpan latency, string error)
    {
        Record(at, latency);
        Failures++;
        ConsecutiveFailures++;
        LastError = error;
    }

    /// <summary>Restores the counters persisted by an earlier activation (the latency window starts empty).</summary>
    public void Restore(long runs, long successes, long failures, int consecutiveFailures, double? lastLatencyMs,
        DateTimeOffset? lastRunAt, DateTimeOffset? lastSuccessAt, string? lastError)
    {
        Runs = runs;
        Successes = successes;
        Failures = failures;
        ConsecutiveFailures = consecutiveFailures;
        LastLatencyMs = lastLatencyMs;
        LastRunAt = lastRunAt;
        LastSuccessAt = lastSuccessAt;
        LastError = lastError;
    }

    private void Record(DateTimeOffset at, TimeSpan latency)
    {
        Runs++;
        LastRunAt = at;
        LastLatencyMs = Math.Round(latency.TotalMilliseconds, 3);
        _window[_windowNext] = LastLatencyMs.Value;
        _windowNext = (_windowNext + 1) % WindowSize;
        _windowCount = Math.Min(_windowCount + 1, WindowSize);
    }
}
