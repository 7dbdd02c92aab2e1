using Cts.Domain.Processors;
using Cts.Functions.Observability;

namespace Cts.Functions.Engines;

/// <summary>
/// When each processor's next timer tick is due, so that every cycle records how late it started (<c>cts_cycle_lag</c>).
/// Orleans arms a grain timer's next tick one period after the previous callback has completed, so a tick is due at
/// that completion plus the period (the first one at registration plus its due time). Lateness is then the time the
/// tick waited for a thread and for the grain's turn: what the cadence of many engines on one node costs.
/// </summary>
public sealed class CycleSchedule(TimeProvider time)
{
    private readonly Dictionary<ProcessorKind, DateTimeOffset> _due = [];

    /// <summary>The timer of <paramref name="kind"/> will tick <paramref name="after"/> from now.</summary>
    public void Armed(ProcessorKind kind, TimeSpan after) => _due[kind] = time.GetUtcNow() + after;

    /// <summary>When the next tick of <paramref name="kind"/> is due, as last armed (null before its timer was first armed).</summary>
    public DateTimeOffset? DueAt(ProcessorKind kind) => _due.TryGetValue(kind, out var due) ? due : null;

    /// <summary>A tick of <paramref name="kind"/> starts now: records its lag.</summary>
    public void Fired(ProcessorKind kind)
    {
        if (_due.TryGetValue(kind, out var due))
        {
            CtsMetrics.RecordCycleLag(kind.ToWire(), time.GetUtcNow() - due);
        }
    }
}
