namespace Cts.Domain.Strategies;

/// <summary>The strategies a preset can name, as spelled on the wire.</summary>
public static class StrategyNames
{
    public const string EmaCrossover = "ema-crossover";
    public const string RsiReversion = "rsi-reversion";

    public static readonly IReadOnlyList<string> All = [EmaCrossover, RsiReversion];
}
