namespace Cts.Domain.Strategies;

/// <summary>A strategy's verdict on the last closed candle, with the reason in words for the audit trail.</summary>
/// <param name="SignalTime">
/// OpenTime of the candle that produced an Enter or Exit (null for None). A candle closes once, so (connection,
/// symbol, SignalTime, side) names the signal uniquely: it is what makes client order ids idempotent and lets the engine
/// refuse to act twice on the same signal.
/// </param>
/// <param name="Values">The indicator values the decision was made on (e.g. emaFast, emaSlow, rsi) at the last candle.</param>
public sealed record StrategySignal(SignalKind Kind, DateTimeOffset? SignalTime, string Reason, IReadOnlyDictionary<string, double> Values)
{
    private static readonly IReadOnlyDictionary<string, double> NoValues = new Dictionary<string, double>();

    public static StrategySignal None(string reason, IReadOnlyDictionary<string, double>? values = null) =>
        new(SignalKind.None, null, reason, values ?? NoValues);

    public static StrategySignal Enter(DateTimeOffset signalTime, string reason, IReadOnlyDictionary<string, double> values) =>
        new(SignalKind.Enter, signalTime, reason, values);

    public static StrategySignal Exit(DateTimeOffset signalTime, string reason, IReadOnlyDictionary<string, double> values) =>
        new(SignalKind.Exit, signalTime, reason, values);
}
