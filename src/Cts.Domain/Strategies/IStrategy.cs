using Cts.Domain.Market;

namespace Cts.Domain.Strategies;

/// <summary>
/// A trading rule evaluated on closed candles. Pure and stateless between calls: the same candles always give the same
/// signal, so a restarted engine re-derives exactly what it would have seen.
/// </summary>
public interface IStrategy
{
    /// <summary>One of <see cref="StrategyNames.All"/>.</summary>
    string Name { get; }

    /// <summary>
    /// The fewest closed candles <see cref="Evaluate"/> needs to produce a signal; with fewer it returns None.
    /// EMA-based values keep drifting towards their long-run level after warm-up, so feeding more history (several
    /// times the longest period) makes signals agree with charting tools.
    /// </summary>
    int WarmupCandles { get; }

    /// <summary>
    /// The signal on the last of <paramref name="closedCandles"/> (oldest first, completed candles only — a forming
    /// candle would make the signal flicker within the minute).
    /// </summary>
    StrategySignal Evaluate(IReadOnlyList<Candle> closedCandles);
}
