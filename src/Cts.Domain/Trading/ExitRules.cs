namespace Cts.Domain.Trading;

/// <summary>
/// The risk exits of an open position at a bid. Thresholds are measured from the entry fill price (slippage
/// included) and compared with the bid, the price a market sell would hit.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Stop-loss: bid ≤ entry × (1 − StopLossPct/100).</item>
/// <item>Take-profit: bid ≥ entry × (1 + TakeProfitPct/100).</item>
/// <item>Trailing stop (when TrailingStopPct is set): bid ≤ HighestPrice × (1 − TrailingStopPct/100), but only once
/// HighestPrice &gt; entry. Before the price has ever been above entry the stop-loss alone protects the position;
/// otherwise a trailing stop tighter than the stop-loss would simply replace it and cut every trade that dips
/// right after entry.</item>
/// </list>
/// When several hold at once the most protective wins: stop-loss, then trailing stop, then take-profit. The result
/// is the same whether the position was marked to this bid first or not (a new high cannot also be a trailing hit).
/// </remarks>
public static class ExitRules
{
    public static ExitReason? Evaluate(Position position, decimal bid, RiskParameters risk)
    {
        ArgumentNullException.ThrowIfNull(position);
        ArgumentNullException.ThrowIfNull(risk);
        if (!position.IsOpen)
        {
            throw new InvalidOperationException($"position {position.Id} is {position.Status}");
        }
        var entry = position.EntryPrice;
        if (bid <= entry * (1 - risk.StopLossPct / 100m))
        {
            return ExitReason.StopLoss;
        }
        if (risk.TrailingStopPct is { } trailing
            && position.HighestPrice > entry
            && bid <= position.HighestPrice * (1 - trailing / 100m))
        {
            return ExitReason.TrailingStop;
        }
        if (bid >= entry * (1 + risk.TakeProfitPct / 100m))
        {
            return ExitReason.TakeProfit;
        }
        return null;
    }
}
