using System.Globalization;
using Cts.Domain.Indicators;
using Cts.Domain.Market;

namespace Cts.Domain.Strategies;

/// <summary>
/// Mean reversion: enter when RSI on the last closed candle is below RsiOversold (sold off, expected to bounce), exit
/// when it is above RsiOverbought. Both thresholds are strict.
/// </summary>
/// <remarks>
/// This is a level rule, not a crossing rule: every candle that closes with RSI below the threshold is an Enter signal
/// with its own <see cref="StrategySignal.SignalTime"/>. Repeated entries in one sell-off are bounded by the risk
/// limits (max open positions), not by the strategy.
/// </remarks>
public sealed class RsiReversionStrategy : IStrategy
{
    private readonly StrategyParameters _parameters;

    public RsiReversionStrategy(StrategyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        StrategyFactory.EnsureValid(parameters);
        _parameters = parameters;
        WarmupCandles = parameters.RsiPeriod + 1;
    }

    public string Name => StrategyNames.RsiReversion;

    public int WarmupCandles { get; }

    public StrategySignal Evaluate(IReadOnlyList<Candle> closedCandles)
    {
        CandleOrder.EnsureAscending(closedCandles);
        if (closedCandles.Count < WarmupCandles)
        {
            return StrategySignal.None($"warming up: {closedCandles.Count} of {WarmupCandles} candles");
        }
        var last = closedCandles.Count - 1;
        var indicator = new Rsi(_parameters.RsiPeriod);
        for (var i = 0; i <= last; i++)
        {
            indicator.Update(CandlePrices.Close(closedCandles[i]));
        }
        var rsi = indicator.Current!.Value;
        var values = new Dictionary<string, double>(StringComparer.Ordinal) { ["rsi"] = rsi };
        var at = closedCandles[last].OpenTime;
        if (rsi < _parameters.RsiOversold)
        {
            return StrategySignal.Enter(at, $"RSI({_parameters.RsiPeriod}) {F(rsi)} below oversold {F(_parameters.RsiOversold)}", values);
        }
        if (rsi > _parameters.RsiOverbought)
        {
            return StrategySignal.Exit(at, $"RSI({_parameters.RsiPeriod}) {F(rsi)} above overbought {F(_parameters.RsiOverbought)}", values);
        }
        return StrategySignal.None($"RSI({_parameters.RsiPeriod}) {F(rsi)} between thresholds", values);
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
