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
    private readonly Dictionary<ProcessorKind, ProcessorHealth> _health;

    public EngineCycles(IEnumerable<IProcessor> processors, TimeProvider time, TimeSpan cycleTimeout)
    {
        _processors = processors.ToDictionary(p => p.Kind);
        _time = time;
        _cycleTimeout = cycleTimeout;
        _health = Kinds.ToDictionary(k => k, _ => new ProcessorHealth());
        FlushedAt = time.GetUtcNow();
    }

    public IReadOnlyDictionary<ProcessorKind, ProcessorHealth> Health => _health;

    /// <summary>
    /// The cycle timeout's source, reused from cycle to cycle (cycles of one engine never overlap): a source and a
    /// timer per cycle were ~14,000 of each a second at 10,000 engines. One that fired is replaced.
    /// </summary>
    private CancellationTokenSource _timeout = new();

    private CancellationTokenSource CycleTimeout()
    {
        if (!_timeout.TryReset())
        {
            _timeout.Dispose();
            _timeout = new CancellationTokenSource();
        }
        return _timeout;
    }

    /// <summary>True when health changed since the last <see cref="MarkFlushed"/>.</summary>
    public bool HealthDirty { get; private set; }

    /// <summary>
    /// True when, since the last <see cref="MarkFlushed"/>, a cycle failed or a failing processor succeeded again: a change
    /// an operator reading storage after a crash must see. Successes that only advance the counters are routine.
    /// </summary>
    public bool HealthChangedNotably { get; private set; }

    /// <summary>When health was last written (or, before that, when these cycles were created).</summary>
    public DateTimeOffset FlushedAt { get; private set; }

    public void MarkFlushed()
    {
        HealthDirty = false;
        HealthChangedNotably = false;
        FlushedAt = _time.GetUtcNow();
    }

    /// <summary>
    /// Whether the health flush due now should write: a notable change at every flush, routine progress once
    /// <paramref name="routineEvery"/> has passed since the last write.
    /// </summary>
    public bool HealthFlushDue(TimeSpan routineEvery) =>
        HealthChangedNotably || (HealthDirty && _time.GetUtcNow() - FlushedAt >= routineEvery);

    /// <summary>
    /// Runs one cycle of <paramref name="kind"/> against <paramref name="context"/>; returns the processor's health and
    /// the failure, if any. A value task: most cycles (paper, no order) complete without waiting, and then cost no task.
    /// </summary>
    public async ValueTask<(ProcessorHealth Health, Exception? Failure)> RunAsync(ProcessorKind kind, EngineCycleContext context, CancellationToken cancellationToken)
    {
        var health = _health[kind];
        var wasFailing = health.ConsecutiveFailures > 0;
        var started = _time.GetTimestamp();
        Exception? failure = null;
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        var timeout = linked ?? CycleTimeout();
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
        if (linked is null)
        {
            _timeout.TryReset(); // disarms the timer; a source that fired is replaced on the next cycle
        }
        Observability.CtsMetrics.RecordCycle(kind.ToWire(), _time.GetElapsedTime(started), failure is null);
        HealthDirty = true;
        HealthChangedNotably |= failure is not null || wasFailing;
        return (health, failure);
    }

    public void Restore(IReadOnlyDictionary<string, ProcessorHealthRecord> records)
    {
        foreach (var (kind, health) in _health)
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

    /// <summary>The processors in the order a status lists them.</summary>
    public static readonly ProcessorKind[] Kinds = Enum.GetValues<ProcessorKind>();

    /// <summary>
    /// The health of every processor as a status object shows it, built fresh for each caller and kept by nothing here.
    /// (Views cached from one status to the next were the newest objects of every engine at each collection, ten
    /// thousand engines' worth promoted each time.) The status board's document is written from <see cref="ViewOf"/>.
    /// </summary>
    public Dictionary<string, ProcessorHealthView> View(ProcessorIntervals intervals)
    {
        var views = new Dictionary<string, ProcessorHealthView>(Kinds.Length, StringComparer.Ordinal);
        foreach (var kind in Kinds)
        {
            views[kind.ToWire()] = ViewOf(kind, intervals);
        }
        return views;
    }

    /// <summary>One processor's health as a status shows it (a value: no allocation).</summary>
    public ProcessorHealthView ViewOf(ProcessorKind kind, ProcessorIntervals intervals) =>
        BuildView(_health[kind], (int)intervals.Of(kind).TotalMilliseconds);

    private static ProcessorHealthView BuildView(ProcessorHealth health, int intervalMs) => new()
    {
        IntervalMs = intervalMs,
        Runs = health.Runs,
        Successes = health.Successes,
        Failures = health.Failures,
        SuccessRate = Math.Round(health.SuccessRate, 4),
        ConsecutiveFailures = health.ConsecutiveFailures,
        LastLatencyMs = health.LastLatencyMs,
        P95LatencyMs = health.P95LatencyMs,
        LastRunAt = health.LastRunAt,
        LastSuccessAt = health.LastSuccessAt,
        LastError = health.LastError,
    };
}
