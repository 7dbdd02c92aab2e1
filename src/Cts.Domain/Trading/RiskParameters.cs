namespace Cts.Domain.Trading;

/// <summary>
/// The risk part of a preset: how much to put in a position, how many at once, and when to get out. Percentages are
/// in percent (2 = 2 %) and measured from the position's entry fill price.
/// </summary>
/// <param name="PositionSizeQuote">Quote-currency amount spent per entry (e.g. 100 USDT).</param>
/// <param name="MaxOpenPositions">Open positions allowed at once across the connection.</param>
/// <param name="StopLossPct">Close when the bid falls this far below entry.</param>
/// <param name="TakeProfitPct">Close when the bid rises this far above entry.</param>
/// <param name="TrailingStopPct">When set, close when the bid falls this far below the highest bid seen, once in profit.</param>
public sealed record RiskParameters(
    decimal PositionSizeQuote = 100m,
    int MaxOpenPositions = 3,
    decimal StopLossPct = 2m,
    decimal TakeProfitPct = 4m,
    decimal? TrailingStopPct = null)
{
    /// <summary>Errors per field (camelCase names as on the wire); empty when the parameters are valid.</summary>
    /// <remarks>
    /// Percentages must be strictly between 0 and 100: 0 would exit on the first mark (the bid is below the entry
    /// ask straight away) and 100 could never trigger for a stop.
    /// </remarks>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (PositionSizeQuote <= 0)
        {
            errors["positionSizeQuote"] = ["must be greater than 0"];
        }
        if (MaxOpenPositions < 1)
        {
            errors["maxOpenPositions"] = ["must be at least 1"];
        }
        CheckPercent(errors, "stopLossPct", StopLossPct);
        CheckPercent(errors, "takeProfitPct", TakeProfitPct);
        if (TrailingStopPct is { } trailing)
        {
            CheckPercent(errors, "trailingStopPct", trailing);
        }
        return errors;
    }

    private static void CheckPercent(Dictionary<string, string[]> errors, string field, decimal value)
    {
        if (value is <= 0 or >= 100)
        {
            errors[field] = ["must be greater than 0 and less than 100"];
        }
    }
}
