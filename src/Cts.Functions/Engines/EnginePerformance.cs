using Cts.Domain.Backtesting;
using Cts.Domain.Performance;
using Cts.Domain.Trading;

namespace Cts.Functions.Engines;

/// <summary>
/// A live engine's performance (<c>GET /api/engines/{id}/performance</c>), from its positions with the same
/// <see cref="TradeStatistics"/> as a backtest's report: the trade figures over the closed positions still in the trading
/// table (retention archives older ones), realized and unrealized PnL from the engine itself.
/// </summary>
public sealed record EnginePerformance(
    string ConnectionId, DateTimeOffset AsOf, decimal TotalProfit, double TotalProfitPct, decimal RealizedPnl, decimal UnrealizedPnl,
    int Trades, int Wins, int Draws, int Losses, double? WinRate, double? ProfitFactor, decimal? Expectancy, decimal MaxDrawdown,
    double MaxDrawdownPct, TradeSummary? BestTrade, TradeSummary? WorstTrade, double? AvgDurationSeconds,
    IReadOnlyList<DailyProfit> Daily, IReadOnlyList<EquityPoint> EquityCurve)
{
    public static EnginePerformance From(string connectionId, DateTimeOffset asOf, IReadOnlyList<Position> positions, decimal realizedPnl,
        decimal unrealizedPnl, decimal startingBalance)
    {
        var from = positions.Count == 0 ? asOf : positions.Min(p => p.OpenedAt);
        var stats = TradeStatistics.Compute(positions.Where(p => !p.IsOpen), startingBalance, from, asOf > from ? asOf : from);
        var total = realizedPnl + unrealizedPnl;
        var curve = stats.RealizedEquity.ToList();
        curve.Add(new EquityPoint(asOf, curve[^1].Equity + unrealizedPnl));
        return new EnginePerformance(connectionId, asOf, total, (double)(total / startingBalance * 100m), realizedPnl, unrealizedPnl,
            stats.Trades, stats.Wins, stats.Draws, stats.Losses, stats.WinRate, stats.ProfitFactor, stats.Expectancy, stats.MaxDrawdown,
            stats.MaxDrawdownPct, stats.BestTrade, stats.WorstTrade, stats.AvgDuration?.TotalSeconds, stats.Daily, curve);
    }
}
