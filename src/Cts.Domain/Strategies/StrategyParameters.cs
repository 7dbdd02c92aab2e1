using Cts.Domain.Config;

namespace Cts.Domain.Strategies;

/// <summary>
/// The tunable part of a preset: which strategy and its knobs. Defaults are the usual textbook values so an empty
/// preset is valid and trades something sensible.
/// </summary>
/// <param name="Name">One of <see cref="StrategyNames.All"/>.</param>
/// <param name="EmaFast">Fast EMA period (ema-crossover).</param>
/// <param name="EmaSlow">Slow EMA period (ema-crossover).</param>
/// <param name="UseRsiFilter">ema-crossover only enters while RSI is below <paramref name="RsiOverbought"/>.</param>
/// <param name="RsiPeriod">RSI period (rsi-reversion, and the ema-crossover filter).</param>
/// <param name="RsiOversold">rsi-reversion enters below this RSI.</param>
/// <param name="RsiOverbought">rsi-reversion exits above this RSI; the ema-crossover filter refuses entries at or above it.</param>
public sealed record StrategyParameters(
    string Name = StrategyNames.EmaCrossover,
    int EmaFast = 9,
    int EmaSlow = 21,
    bool UseRsiFilter = false,
    int RsiPeriod = 14,
    double RsiOversold = 30,
    double RsiOverbought = 70)
{
    public const int MinPeriod = 2;

    /// <summary>
    /// Upper bound on any period. The engine fetches at least a strategy's warm-up in candles every cycle and exchanges
    /// cap one candle request (Binance: 1000), so an unbounded period would make a preset that can never run.
    /// </summary>
    public const int MaxPeriod = 500;

    /// <summary>Errors per field (camelCase names as on the wire); empty when the parameters are valid.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new FieldErrors();
        void CheckPeriod(string field, int value)
        {
            if (value is < MinPeriod or > MaxPeriod)
            {
                errors.Add(field, $"must be between {MinPeriod} and {MaxPeriod}");
            }
        }

        if (Name is null || !StrategyNames.All.Contains(Name, StringComparer.Ordinal))
        {
            errors.Add("name", $"must be one of: {string.Join(", ", StrategyNames.All)}");
        }
        CheckPeriod("emaFast", EmaFast);
        CheckPeriod("emaSlow", EmaSlow);
        if (EmaFast >= EmaSlow)
        {
            errors.Add("emaSlow", "must be greater than emaFast");
        }
        CheckPeriod("rsiPeriod", RsiPeriod);
        // Written as positive ranges so NaN (for which every comparison is false) is out of range too.
        var oversoldInRange = RsiOversold > 0 && RsiOversold < 100;
        var overboughtInRange = RsiOverbought > 0 && RsiOverbought < 100;
        if (!oversoldInRange)
        {
            errors.Add("rsiOversold", "must be greater than 0 and less than 100");
        }
        if (!overboughtInRange)
        {
            errors.Add("rsiOverbought", "must be greater than 0 and less than 100");
        }
        // The order only means something between two valid thresholds; otherwise the range error says it all.
        if (oversoldInRange && overboughtInRange && RsiOverbought <= RsiOversold)
        {
            errors.Add("rsiOverbought", "must be greater than rsiOversold");
        }
        return errors.ToDictionary();
    }
}
