using Cts.Domain.Indicators;
using Cts.Domain.Market;

namespace Cts.Domain.Strategies;

/// <summary>
/// The indicator lines a strategy reads, computed over candles with the same indicator code the strategy evaluates
/// (<see cref="Ema"/>, <see cref="Rsi"/>), so a chart shows exactly what the engine decided on.
/// </summary>
public static class StrategyIndicators
{
    /// <summary>Where a line is drawn: over the price, or in its own pane on a 0–100 scale.</summary>
    public const string Overlay = "overlay";
    public const string Oscillator = "oscillator";

    /// <summary>
    /// The lines of <paramref name="parameters"/>'s strategy over <paramref name="candles"/> (oldest first): ema-crossover
    /// draws its fast and slow EMA (and RSI when filtered), rsi-reversion its RSI with the oversold and overbought levels.
    /// Points before an indicator is warmed up are left out.
    /// </summary>
    public static IReadOnlyList<IndicatorLine> Compute(StrategyParameters parameters, IReadOnlyList<Candle> candles)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CandleOrder.EnsureAscending(candles);
        var closes = CandlePrices.Closes(candles);
        var lines = new List<IndicatorLine>();
        if (parameters.Name == StrategyNames.EmaCrossover)
        {
            lines.Add(Line($"EMA {parameters.EmaFast}", Overlay, candles, Ema.Compute(closes, parameters.EmaFast), []));
            lines.Add(Line($"EMA {parameters.EmaSlow}", Overlay, candles, Ema.Compute(closes, parameters.EmaSlow), []));
            if (parameters.UseRsiFilter)
            {
                lines.Add(Line($"RSI {parameters.RsiPeriod}", Oscillator, candles, Rsi.Compute(closes, parameters.RsiPeriod),
                    [parameters.RsiOverbought]));
            }
        }
        else if (parameters.Name == StrategyNames.RsiReversion)
        {
            lines.Add(Line($"RSI {parameters.RsiPeriod}", Oscillator, candles, Rsi.Compute(closes, parameters.RsiPeriod),
                [parameters.RsiOversold, parameters.RsiOverbought]));
        }
        return lines;
    }

    private static IndicatorLine Line(string name, string pane, IReadOnlyList<Candle> candles, double?[] values, double[] levels)
    {
        var points = new List<IndicatorPoint>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                points.Add(new IndicatorPoint(candles[i].OpenTime, value));
            }
        }
        return new IndicatorLine(name, pane, levels, points);
    }
}

/// <summary>One indicator line: its name (e.g. <c>EMA 9</c>), its pane, reference levels (RSI thresholds) and its points.</summary>
public sealed record IndicatorLine(string Name, string Pane, IReadOnlyList<double> Levels, IReadOnlyList<IndicatorPoint> Points);

/// <summary>An indicator's value at a candle's open time.</summary>
public sealed record IndicatorPoint(DateTimeOffset Time, double Value);
