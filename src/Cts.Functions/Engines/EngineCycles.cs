using Cts.Domain.Processors;

namespace Cts.Functions.Engines;

/// <summary>
/// The processors of one engine activation and their measured health. Runs one processor cycle at a time
/// (the grain's non-interleaving timers guarantee that), times it with the <see cref="TimeProvider"/>, and
/// records success or failure. Knows nothing of lifecycle or storage.
/// </summary>
public sealed class EngineCycles
{
    private readonly IReadOnlyDictionary<ProcessorKind, IProcessor> _processors;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cycleTimeout;

    public EngineCycles(IEnumerable<IProcessor> processors, TimeProvider time, TimeSpan cycleTimeout)
    {
        _processors = processors.ToDictionary(p => p.Kind);
        _time = time;
        _cycleTimeout = cycleTimeout;
        Health = Enum.GetValues<ProcessorKind>().ToDictionary(k => k, _ => new ProcessorHealth());
    }

    public IReadOnlyDictionary<ProcessorKind, ProcessorHealth> Health { get; }

    /// <summary>True when health changed since the last <see cref="MarkFlushed"/>.</summary>
    public bool HealthDirty { get; private set; }

    public void MarkFlushed() => HealthDirty = false;

    /// <summary>Runs one cycle of <paramref name="kind"/> against <paramref name="context"/>; returns the processor's health and the failure, if any.</summary>
    public async Task<(ProcessorHealth Health, Exception? Failure)> RunAsync(ProcessorKind kind, EngineCycleContext context, CancellationToken cancellationToken)
    {
        var health = Health[kind];
        var started = _time.GetTimestamp();
        Exception? failure = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_cycleTimeout);
        try
        {
            await _processors[kind].RunAsync(context, timeout.Token).ConfigureAwait(true);
            health.RecordSuccess(_time.GetUtcNow(), _time.GetElapsedTime(started));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = e is OperationCanceledException ? $"cycle timed out after {_cycleTimeout.TotalSeconds:0.#} s" : e.Message;
            health.RecordFailure(_time.GetUtcNow(), _time.GetElapsedTime(started), message);
            failure = e;
        }
        Observability.CtsMetrics.RecordCycle(kind.ToWire(), _time.GetElapsedTime(started), failure is null);
        HealthDirty = true;
        return (health, failure);
    }

    public void Restore(IReadOnlyDictionary<string, ProcessorHealthRecord> records)
    {
        foreach (var (kind, health) in Health)
        {
            if (records.TryGetValue(kind.ToWire(), out var r))
            {
                health.Restore(r.Runs, r.Successes, r.Failures, r.ConsecutiveFailures, r.LastLatencyMs, r.LastRunAt, r.LastSuccessAt, r.LastError);
            }
        }
    }

    public Dictionary<string, ProcessorHealthRecord> Snapshot() => Health.ToDictionary(
        h => h.Key.ToWire(),
        h => new ProcessorHealthRecord(h.Value.Runs, h.Value.Successes, h.Value.Failures, h.Value.ConsecutiveFailures,
            h.Value.LastLatencyMs, h.Value.LastRunAt, h.Value.LastSuccessAt, h.Value.LastError),
        StringComparer.Ordinal);

    public Dictionary<string, ProcessorHealthView> View(ProcessorIntervals intervals) => Health.ToDictionary(
        h => h.Key.ToWire(),
        h => new ProcessorHealthView
        {
            IntervalMs = (int)intervals.Of(h.Key).TotalMilliseconds,
            Runs = h.Value.Runs,
            Successes = h.Value.Successes,
            Failures = h.Value.Failures,
            SuccessRate = Math.Round(h.Value.SuccessRate, 4),
            ConsecutiveFailures = h.Value.ConsecutiveFailures,
            LastLatencyMs = h.Value.LastLatencyMs,
            P95LatencyMs = h.Value.P95LatencyMs,
            LastRunAt = h.Value.LastRunAt,
            LastSuccessAt = h.Value.LastSuccessAt,
            LastError = h.Value.LastError,
        },
        StringComparer.Ordinal);
}
