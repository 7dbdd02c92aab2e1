using Cts.Domain.Backtesting;
using Cts.Domain.Trading;

namespace Cts.Domain.Performance;

/// <summary>One trade's profit, as the best or worst trade of a list.</summary>
public sealed record TradeSummary(string PositionId, string Symbol, decimal Profit, double ProfitPct, DateTimeOffset OpenedAt,
    DateTimeOffset ClosedAt, ExitReason ExitReason);

/// <summary>The realized profit of one UTC calendar day and how many trades closed on it.</summary>
public sealed record DailyProfit(DateOnly Date, decimal Profit, int Trades);

/// <summary>
/// The performance of a list of closed trades over a window, the one calculator behind a backtest's report and a live
/// engine's performance. Pure: the same trades, balance and window always give the same figures.
/// </summary>
/// <remarks>
/// Definitions (a trade's profit is its <see cref="Position.RealizedPnl"/>, fees and slippage included; trades are taken in
/// the order they closed):
/// <list type="bullet">
/// <item><see cref="TotalProfit"/>: the sum of the profits; <see cref="TotalProfitPct"/>: that in percent of the starting balance.</item>
/// <item><see cref="Wins"/>/<see cref="Draws"/>/<see cref="Losses"/>: trades with profit &gt; 0, = 0, &lt; 0;
/// <see cref="WinRate"/>: wins ÷ trades (0–1).</item>
/// <item><see cref="ProfitFactor"/>: gross profit ÷ |gross loss| (null without a losing trade).</item>
/// <item><see cref="Expectancy"/>: the mean profit per trade, quote currency (= win rate × mean win − loss rate × mean loss);
/// <see cref="AvgProfitPct"/>: the mean of the trades' profit % (each of its entry cost, as below).</item>
/// <item><see cref="Cagr"/>: (final ÷ starting balance)^(365.25 days ÷ window) − 1, as a fraction (null when the final balance is not positive).</item>
/// <item>Drawdown, on the realized equity (starting balance, then after each trade): <see cref="MaxDrawdown"/> is the largest
/// fall from a running peak in quote currency, <see cref="MaxDrawdownPct"/> that fall in percent of its peak,
/// <see cref="MaxDrawdownStart"/> when the peak was reached (the window's start for the starting balance),
/// <see cref="MaxDrawdownEnd"/> the trough.</item>
/// <item>Daily returns r = the day's realized profit ÷ the realized equity at the start of the day, for every UTC day of
/// the window (days without trades count as 0). <see cref="Sharpe"/> = mean(r) ÷ sample stdev(r) × √365;
/// <see cref="Sortino"/> = mean(r) ÷ downside deviation × √365 with downside deviation = √(Σ min(r, 0)² ÷ n);
/// <see cref="Calmar"/> = CAGR ÷ (MaxDrawdownPct ÷ 100). Null when undefined (fewer than two days, no variation, no drawdown).</item>
/// <item><see cref="Exposure"/>: the share of the window (0–1) during which at least one position was open.</item>
/// <item><see cref="BestTrade"/>/<see cref="WorstTrade"/>: the trades with the highest and lowest profit (the earlier on a tie);
/// a trade's profit % is its profit ÷ its entry cost × 100.</item>
/// <item><see cref="AvgDuration"/>: the mean time from entry to exit.</item>
/// <item><see cref="ExitReasons"/>: how many trades closed for each reason.</item>
/// </list>
/// </remarks>
public sealed record TradeStatistics
{
    public int Trades { get; init; }
    public decimal TotalProfit { get; init; }
    public double TotalProfitPct { get; init; }
    public double? Cagr { get; init; }
    public int Wins { get; init; }
    public int Draws { get; init; }
    public int Losses { get; init; }
    public double? WinRate { get; init; }
    public double? ProfitFactor { get; init; }
    public decimal? Expectancy { get; init; }
    public double? AvgProfitPct { get; init; }
    public decimal MaxDrawdown { get; init; }
    public double MaxDrawdownPct { get; init; }
    public DateTimeOffset? MaxDrawdownStart { get; init; }
    public DateTimeOffset? MaxDrawdownEnd { get; init; }
    public double? Sharpe { get; init; }
    public double? Sortino { get; init; }
    public double? Calmar { get; init; }
    public double Exposure { get; init; }
    public TradeSummary? BestTrade { get; init; }
    public TradeSummary? WorstTrade { get; init; }
    public TimeSpan? AvgDuration { get; init; }
    public IReadOnlyDictionary<ExitReason, int> ExitReasons { get; init; } = new Dictionary<ExitReason, int>();
    public IReadOnlyList<DailyProfit> Daily { get; init; } = [];

    /// <summary>The realized equity: the starting balance at the window's start, then the balance after each trade.</summary>
    public IReadOnlyList<EquityPoint> RealizedEquity { get; init; } = [];

    private static readonly double AnnualDays = Math.Sqrt(365);

    /// <param name="closed">Closed positions (open ones are ignored).</param>
    public static TradeStatistics Compute(IEnumerable<Position> closed, decimal startingBalance, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(closed);
        if (startingBalance <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(startingBalance), startingBalance, "must be greater than 0");
        }
        if (to < from)
        {
            throw new ArgumentException("the window must not end before it starts", nameof(to));
        }
        var trades = closed.Where(p => !p.IsOpen)
            .OrderBy(p => p.ClosedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        var profits = trades.Select(p => p.RealizedPnl!.Value).ToList();
        var total = profits.Sum();
        var wins = profits.Count(p => p > 0);
        var losses = profits.Count(p => p < 0);
        var grossProfit = profits.Where(p => p > 0).Sum();
        var grossLoss = -profits.Where(p => p < 0).Sum();
        var (equity, drawdown) = Drawdown(trades, startingBalance, from);
        var cagr = ComputeCagr(startingBalance, startingBalance + total, to - from);
        var daily = ComputeDaily(trades, from, to);
        var returns = DailyReturns(daily, startingBalance);
        return new TradeStatistics
        {
            Trades = trades.Count,
            TotalProfit = total,
            TotalProfitPct = (double)(total / startingBalance * 100m),
            Cagr = cagr,
            Wins = wins,
            Draws = trades.Count - wins - losses,
            Losses = losses,
            WinRate = trades.Count == 0 ? null : (double)wins / trades.Count,
            ProfitFactor = grossLoss == 0 ? null : (double)(grossProfit / grossLoss),
            Expectancy = trades.Count == 0 ? null : total / trades.Count,
            AvgProfitPct = trades.Count == 0 ? null : trades.Average(ProfitPct),
            MaxDrawdown = drawdown.Amount,
            MaxDrawdownPct = drawdown.Pct,
            MaxDrawdownStart = drawdown.Amount > 0 ? drawdown.Start : null,
            MaxDrawdownEnd = drawdown.Amount > 0 ? drawdown.End : null,
            Sharpe = ComputeSharpe(returns),
            Sortino = ComputeSortino(returns),
            Calmar = cagr is { } c && drawdown.Pct > 0 ? c / (drawdown.Pct / 100) : null,
            Exposure = ComputeExposure(trades, from, to),
            BestTrade = trades.Count == 0 ? null : Summary(trades.MaxBy(p => p.RealizedPnl!.Value)!),
            WorstTrade = trades.Count == 0 ? null : Summary(trades.MinBy(p => p.RealizedPnl!.Value)!),
            AvgDuration = trades.Count == 0 ? null : TimeSpan.FromTicks((long)trades.Average(p => (p.ClosedAt!.Value - p.OpenedAt).Ticks)),
            ExitReasons = trades.GroupBy(p => p.ExitReason!.Value).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            Daily = daily,
            RealizedEquity = equity,
        };
    }

    /// <summary>A trade's profit in percent of what its entry cost.</summary>
    public static double ProfitPct(Position trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        return (double)(trade.RealizedPnl!.Value / trade.EntryCost * 100m);
    }

    private static TradeSummary Summary(Position p) =>
        new(p.Id, p.Symbol, p.RealizedPnl!.Value, ProfitPct(p), p.OpenedAt, p.ClosedAt!.Value, p.ExitReason!.Value);

    private sealed record DrawdownFigures(decimal Amount, double Pct, DateTimeOffset Start, DateTimeOffset End);

    private static (List<EquityPoint> Equity, DrawdownFigures Drawdown) Drawdown(List<Position> trades, decimal startingBalance, DateTimeOffset from)
    {
        var equity = new List<EquityPoint>(trades.Count + 1) { new(from, startingBalance) };
        var balance = startingBalance;
        var (peak, peakAt) = (startingBalance, from);
        var worst = new DrawdownFigures(0m, 0, from, from);
        foreach (var trade in trades)
        {
            balance += trade.RealizedPnl!.Value;
            var at = trade.ClosedAt!.Value;
            equity.Add(new EquityPoint(at, balance));
            if (balance > peak)
            {
                (peak, peakAt) = (balance, at);
            }
            else if (peak - balance > worst.Amount)
            {
                worst = new DrawdownFigures(peak - balance, (double)((peak - balance) / peak * 100m), peakAt, at);
            }
        }
        return (equity, worst);
    }

    private static double? ComputeCagr(decimal starting, decimal final, TimeSpan window)
    {
        if (final <= 0 || window <= TimeSpan.Zero)
        {
            return null;
        }
        return Math.Pow((double)(final / starting), 365.25 / window.TotalDays) - 1;
    }

    private static List<DailyProfit> ComputeDaily(List<Position> trades, DateTimeOffset from, DateTimeOffset to)
    {
        var byDay = trades.GroupBy(p => DateOnly.FromDateTime(p.ClosedAt!.Value.UtcDateTime))
            .ToDictionary(g => g.Key, g => (Profit: g.Sum(p => p.RealizedPnl!.Value), Count: g.Count()));
        var first = DateOnly.FromDateTime(from.UtcDateTime);
        var last = DateOnly.FromDateTime((to > from ? to.AddTicks(-1) : to).UtcDateTime);
        foreach (var day in byDay.Keys)
        {
            first = day < first ? day : first;
            last = day > last ? day : last;
        }
        var days = new List<DailyProfit>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var (profit, count) = byDay.GetValueOrDefault(day);
            days.Add(new DailyProfit(day, profit, count));
        }
        return days;
    }

    private static List<double> DailyReturns(List<DailyProfit> days, decimal startingBalance)
    {
        var returns = new List<double>(days.Count);
        var equity = startingBalance;
        foreach (var day in days)
        {
            returns.Add(equity > 0 ? (double)(day.Profit / equity) : 0);
            equity += day.Profit;
        }
        return returns;
    }

    private static double? ComputeSharpe(List<double> returns)
    {
        if (returns.Count < 2)
        {
            return null;
        }
        var mean = returns.Average();
        var variance = returns.Sum(r => (r - mean) * (r - mean)) / (returns.Count - 1);
        return variance > 0 ? mean / Math.Sqrt(variance) * AnnualDays : null;
    }

    private static double? ComputeSortino(List<double> returns)
    {
        if (returns.Count < 2)
        {
            return null;
        }
        var downside = Math.Sqrt(returns.Sum(r => r < 0 ? r * r : 0) / returns.Count);
        return downside > 0 ? returns.Average() / downside * AnnualDays : null;
    }

    private static double ComputeExposure(List<Position> trades, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return 0;
        }
        var covered = TimeSpan.Zero;
        DateTimeOffset? start = null, end = null;
        foreach (var (open, close) in trades
                     .Select(p => (Open: p.OpenedAt < from ? from : p.OpenedAt, Close: p.ClosedAt!.Value > to ? to : p.ClosedAt!.Value))
                     .Where(i => i.Close > i.Open)
                     .OrderBy(i => i.Open))
        {
            if (end is { } e && open <= e)
            {
                end = close > e ? close : e;
                continue;
            }
            if (start is { } s && end is { } f)
            {
                covered += f - s;
            }
            (start, end) = (open, close);
        }
        if (start is { } s2 && end is { } f2)
        {
            covered += f2 - s2;
        }
        return covered / (to - from);
    }
}
