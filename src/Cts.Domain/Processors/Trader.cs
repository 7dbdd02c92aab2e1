using Cts.Domain.Strategies;
using Cts.Domain.Trading;

namespace Cts.Domain.Processors;

/// <summary>
/// The trading side of an engine run: the preset's strategy and risk limits, the book of positions and intents, the
/// executor that sends orders exactly once, and the fill model open positions are valued with.
/// </summary>
public sealed record Trader(IStrategy Strategy, RiskParameters Risk, TradingBook Book, OrderExecutor Orders, PaperFillModel Valuation)
{
    /// <summary>What closing every open position at the current marks would realize.</summary>
    public decimal UnrealizedPnl(IReadOnlyDictionary<string, Market.Quote> marks)
    {
        var total = 0m;
        foreach (var position in Book.OpenPositionList)
        {
            if (marks.TryGetValue(position.Symbol, out var mark))
            {
                total += position.UnrealizedPnl(mark.Bid, Valuation);
            }
        }
        return total;
    }
}
