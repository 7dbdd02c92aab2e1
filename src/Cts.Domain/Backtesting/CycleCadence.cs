using Cts.Domain.Market;
using Cts.Domain.Processors;

namespace Cts.Domain.Backtesting;

/// <summary>
/// When each processor ticks, as a running engine's timers tick them: the first tick of a processor at its offset
/// after the start, then one every interval. The offsets are the engine's own (<see cref="TimerSpread"/>, a stable hash
/// of the connection id), so a backtest keyed like an engine ticks at the same instants.
/// </summary>
public sealed record CycleCadence(
    TimeSpan IndicationsInterval, TimeSpan StrategiesInterval, TimeSpan RealtimeInterval,
    TimeSpan IndicationsOffset, TimeSpan StrategiesOffset, TimeSpan RealtimeOffset)
{
    /// <summary>The cadence an engine of <paramref name="connectionId"/> runs with these intervals.</summary>
    public static CycleCadence For(string connectionId, TimeSpan indications, TimeSpan strategies, TimeSpan realtime) => new(
        indications, strategies, realtime,
        TimerSpread.Offset(connectionId, (ulong)ProcessorKind.Indications, indications),
        TimerSpread.Offset(connectionId, (ulong)ProcessorKind.Strategies, strategies),
        TimerSpread.Offset(connectionId, (ulong)ProcessorKind.Realtime, realtime));

    public TimeSpan IntervalOf(ProcessorKind kind) => kind switch
    {
        ProcessorKind.Indications => IndicationsInterval,
        ProcessorKind.Strategies => StrategiesInterval,
        _ => RealtimeInterval,
    };

    public TimeSpan OffsetOf(ProcessorKind kind) => kind switch
    {
        ProcessorKind.Indications => IndicationsOffset,
        ProcessorKind.Strategies => StrategiesOffset,
        _ => RealtimeOffset,
    };
}

/// <summary>
/// Where in its interval an engine's timer first fires: a fixed fraction of the interval from a stable hash of the
/// connection id and a slot, so engines started together spread their ticks evenly instead of ticking together.
/// </summary>
public static class TimerSpread
{
    public static TimeSpan Offset(string connectionId, ulong slot, TimeSpan interval)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        var hash = StableHash.Mix(StableHash.Of(connectionId), slot);
        return TimeSpan.FromMilliseconds(interval.TotalMilliseconds * StableHash.Unit(hash));
    }
}
