using Cts.Domain.Market;

namespace Cts.Domain.Strategies;

/// <summary>
/// An engine's strategy, which remembers the signal it gave for each of its symbols' candle lists. A strategy is pure
/// (<see cref="IStrategy"/>), and candle lists are never changed once handed out (an exchange hands out a new list
/// when a candle closes), so the same list gives the same signal: the strategies cycle runs every 5 s and the candles
/// change once a minute, and evaluating them again each time was eleven evaluations in twelve thrown away (at 10,000
/// engines, ~1.5 MB/s of indicator state, value maps and signals).
/// </summary>
/// <remarks>
/// One slot per symbol, reused in turn: a list seen before is found by reference, a new one takes the oldest slot.
/// An engine's cycles never overlap, so the slots need no lock; one instance serves one engine.
/// </remarks>
public sealed class MemoizedStrategy : IStrategy
{
    private readonly IStrategy _inner;
    private readonly IReadOnlyList<Candle>?[] _candles;
    private readonly StrategySignal?[] _signals;
    private int _next;

    public MemoizedStrategy(IStrategy inner, int symbols)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(symbols, 1);
        _inner = inner;
        _candles = new IReadOnlyList<Candle>?[symbols];
        _signals = new StrategySignal?[symbols];
    }

    public string Name => _inner.Name;

    public int WarmupCandles => _inner.WarmupCandles;

    public StrategySignal Evaluate(IReadOnlyList<Candle> closedCandles)
    {
        for (var i = 0; i < _candles.Length; i++)
        {
            if (ReferenceEquals(_candles[i], closedCandles))
            {
                return _signals[i]!;
            }
        }
        var signal = _inner.Evaluate(closedCandles);
        _candles[_next] = closedCandles;
        _signals[_next] = signal;
        _next = (_next + 1) % _candles.Length;
        return signal;
    }
}
