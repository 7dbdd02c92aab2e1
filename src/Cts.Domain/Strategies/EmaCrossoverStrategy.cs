using System.Globalization;
using Cts.Domain.Indicators;
using Cts.Domain.Market;

namespace Cts.Domain.Strategies;

/// <summary>
/// Trend following: enter when the fast EMA crosses above the slow EMA on the last closed candle (fast ≤ slow on the
/// candle before, fast &gt; slow on the last), exit when it crosses below (fast ≥ slow before, fast &lt; slow now).
/// </summary>
/// <remarks>
/// Only the crossing candle signals, not every candle while fast stays above slow, so a trend yields one entry. With
/// <see cref="StrategyParameters.UseRsiFilter"/>, an upward cross is ignored while RSI ≥ RsiOverbought: the move has
/// likely run already. Exits are never filtered.
/// </remarks>
public sealed class EmaCrossoverStrategy : IStrategy
{
    private readonly StrategyParameters _parameters;

    public EmaCrossoverStrategy(StrategyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        StrategyFactory.EnsureValid(parameters);
        _parameters = parameters;
        // The slow EMA exists from candle EmaSlow on, and a cross compares it on two candles; the RSI needs RsiPeriod
        // changes, i.e. RsiPeriod + 1 candles.
        WarmupCandles = Math.Max(parameters.EmaSlow + 1, parameters.UseRsiFilter ? parameters.RsiPeriod + 1 : 0);
    }

    public string Name => StrategyNames.EmaCrossover;

    public int WarmupCandles { get; }

    public StrategySignal Evaluate(IReadOnlyList<Candle> closedCandles)
    {
        CandleOrder.EnsureAscending(closedCandles);
        if (closedCandles.Count < WarmupCandles)
        {
            return StrategySignal.None($"warming up: {closedCandles.Count} of {WarmupCandles} candles");
        }
        // Streamed, not Ema.Compute: only the last two values are read, and this runs per symbol per cycle.
        var fast = new Ema(_parameters.EmaFast);
        var slow = new Ema(_parameters.EmaSlow);
        var rsiIndicator = _parameters.UseRsiFilter ? new Rsi(_parameters.RsiPeriod) : null;
        var last = closedCandles.Count - 1;
        double? fastPrevious = null;
        double? slowPrevious = null;
        for (var i = 0; i <= last; i++)
        {
            fastPrevious = fast.Current;
            slowPrevious = slow.Current;
            var close = CandlePrices.Close(closedCandles[i]);
            fast.Update(close);
            slow.Update(close);
            rsiIndicator?.Update(close);
        }
        var fastNow = fast.Current!.Value;
        var slowNow = slow.Current!.Value;
        var fastBefore = fastPrevious!.Value;
        var slowBefore = slowPrevious!.Value;
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["emaFast"] = fastNow,
            ["emaSlow"] = slowNow,
        };
        double? rsi = null;
        if (_parameters.UseRsiFilter)
        {
            rsi = rsiIndicator!.Current!.Value;
            values["rsi"] = rsi.Value;
        }
        var at = closedCandles[last].OpenTime;

        if (fastBefore <= slowBefore && fastNow > slowNow)
        {
            if (rsi is { } r && r >= _parameters.RsiOverbought)
            {
                return StrategySignal.None(
                    $"fast EMA crossed above slow EMA but RSI {F(r)} is at or above {F(_parameters.RsiOverbought)}", values);
            }
            return StrategySignal.Enter(at, $"fast EMA({_parameters.EmaFast}) {F(fastNow)} crossed above slow EMA({_parameters.EmaSlow}) {F(slowNow)}", values);
        }
        if (fastBefore >= slowBefore && fastNow < slowNow)
        {
            return StrategySignal.Exit(at, $"fast EMA({_parameters.EmaFast}) {F(fastNow)} crossed below slow EMA({_parameters.EmaSlow}) {F(slowNow)}", values);
        }
        return StrategySignal.None("no crossover", values);
    }

    private static string F(double value) => value.ToString("0.########", CultureInfo.InvariantCulture);
}
