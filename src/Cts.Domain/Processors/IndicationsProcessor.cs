namespace Cts.Domain.Processors;

/// <summary>
/// Refreshes candles for each symbol and derives an indication from them. For now a fast/slow moving-average
/// comparison; the full indicator set replaces it with the trading work.
/// </summary>
public sealed class IndicationsProcessor(TimeProvider time) : IProcessor
{
    private const int Fast = 9;
    private const int Slow = 21;

    public ProcessorKind Kind => ProcessorKind.Indications;

    public async Task RunAsync(EngineCycleContext context, CancellationToken cancellationToken)
    {
        foreach (var symbol in context.Symbols)
        {
            var candles = await context.Exchange.GetCandlesAsync(symbol, Slow, cancellationToken).ConfigureAwait(false);
            if (candles.Count < Slow)
            {
                throw new InvalidOperationException($"{symbol}: {candles.Count} candles, {Slow} needed");
            }
            var fast = (double)candles.TakeLast(Fast).Average(c => c.Close);
            var slow = (double)candles.Average(c => c.Close);
            var close = candles[^1].Close;
            var strength = (fast - slow) / (double)close;
            var direction = strength switch { > 0 => Direction.Up, < 0 => Direction.Down, _ => Direction.Neutral };
            context.Indications[symbol] = new Indication(symbol, time.GetUtcNow(), direction, Math.Abs(strength), close,
                new Dictionary<string, double> { ["smaFast"] = fast, ["smaSlow"] = slow });
        }
    }
}
