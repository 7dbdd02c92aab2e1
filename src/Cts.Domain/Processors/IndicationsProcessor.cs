using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Cts.Domain.Indicators;

namespace Cts.Domain.Processors;

/// <summary>
/// Refreshes each symbol's closed one-minute candles (enough to warm up the strategy three times over) and derives
/// an indication from them: EMA 9/21, RSI 14 and MACD 12/26/9, pointing the way the MACD histogram points.
/// </summary>
/// <remarks>
/// Every engine on a symbol is handed the same candle list until the minute turns (the paper market and the Binance
/// market data share one per symbol), so what the indicators make of a list is computed once, kept with the list
/// while it lives, and shared: ten thousand engines on two symbols compute two indications a minute, not four
/// thousand a second, and keep no dictionary of their own.
/// </remarks>
public sealed class IndicationsProcessor(TimeProvider time) : IProcessor
{
    private const int MinCandles = 60;
    private const int MaxCandles = 500;

    public ProcessorKind Kind => ProcessorKind.Indications;

    public async Task RunAsync(EngineCycleContext context, CancellationToken cancellationToken)
    {
        var count = CandleCount(context.Trader.Strategy);
        foreach (var symbol in context.Symbols)
        {
            var candles = await context.Exchange.GetCandlesAsync(symbol, count, cancellationToken).ConfigureAwait(false);
            context.Candles[symbol] = candles;
            var reading = Readings.GetValue(candles, static c => Read(c));
            context.Indications[symbol] = new Indication(symbol, time.GetUtcNow(), reading.Direction, reading.Strength, reading.Close, reading.Values);
        }
    }

    private static readonly ConditionalWeakTable<IReadOnlyList<Market.Candle>, Reading> Readings = new();

    /// <summary>What the indicators read from one candle list.</summary>
    private sealed record Reading(Direction Direction, double Strength, decimal Close, IReadOnlyDictionary<string, double> Values);

    /// <summary>How many closed candles each run reads: three times the strategy's warm-up, at least 60, at most 500.</summary>
    public static int CandleCount(Strategies.IStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return Math.Clamp(strategy.WarmupCandles * 3, MinCandles, MaxCandles);
    }

    private static Reading Read(IReadOnlyList<Market.Candle> candles)
    {
        var fast = new Ema(9);
        var slow = new Ema(21);
        var rsi = new Rsi();
        var macd = new Macd();
        for (var i = 0; i < candles.Count; i++)
        {
            var price = CandlePrices.Close(candles[i]);
            fast.Update(price);
            slow.Update(price);
            rsi.Update(price);
            macd.Update(price);
        }
        var values = new Dictionary<string, double>();
        void Put(string name, double? value)
        {
            if (value is { } v)
            {
                values[name] = Math.Round(v, 8);
            }
        }
        Put("ema9", fast.Current);
        Put("ema21", slow.Current);
        Put("rsi14", rsi.Current);
        Put("macd", macd.Current?.Line);
        Put("macdSignal", macd.Current?.Signal);
        Put("macdHistogram", macd.Current?.Histogram);
        var close = candles.Count > 0 ? candles[^1].Close : 0m;
        var histogram = macd.Current?.Histogram ?? 0;
        var direction = histogram switch { > 0 => Direction.Up, < 0 => Direction.Down, _ => Direction.Neutral };
        var strength = close > 0 ? Math.Abs(histogram) / (double)close : 0;
        return new Reading(direction, strength, close, values.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
