using Cts.Domain.Market;
using Cts.Domain.Performance;
using Cts.Domain.Trading;

namespace Cts.Domain.Backtesting;

/// <summary>One trade of a report: entry, exit, reason and profit.</summary>
public sealed record BacktestTrade(
    string PositionId, string Symbol, decimal Quantity,
    DateTimeOffset EntryTime, decimal EntryPrice, decimal EntryFee,
    DateTimeOffset ExitTime, decimal ExitPrice, decimal ExitFee, string ExitReason,
    decimal Profit, double ProfitPct, TimeSpan Duration)
{
    public static BacktestTrade From(Position p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.Symbol, p.Quantity, p.OpenedAt, p.EntryPrice, p.EntryFee, p.ClosedAt!.Value, p.ExitPrice!.Value,
            p.ExitFee!.Value, ExitReasonNames.ToWire(p.ExitReason!.Value), p.RealizedPnl!.Value, TradeStatistics.ProfitPct(p),
            p.ClosedAt!.Value - p.OpenedAt);
    }
}

/// <summary>Exit reasons as on the wire (camelCase).</summary>
public static class ExitReasonNames
{
    public static string ToWire(ExitReason reason)
    {
        var name = reason.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}

/// <summary>One symbol of the buy-and-hold benchmark.</summary>
public sealed record BuyAndHoldSymbol(string Symbol, decimal EntryPrice, decimal ExitPrice, decimal Profit, double ProfitPct);

/// <summary>
/// The benchmark over the same window: the starting balance split evenly over the symbols, each part bought at the
/// window's start and sold at its end with the same fill model (ask/bid, slippage, fee).
/// </summary>
public sealed record BuyAndHold(decimal Profit, double ProfitPct, IReadOnlyList<BuyAndHoldSymbol> Symbols)
{
    public static BuyAndHold Compute(IMarketData market, IReadOnlyList<string> symbols, DateTimeOffset from, DateTimeOffset to,
        decimal startingBalance, PaperFillModel fills)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(fills);
        var part = startingBalance / symbols.Count;
        var legs = new List<BuyAndHoldSymbol>();
        foreach (var symbol in symbols)
        {
            var buy = fills.Buy(market.QuoteAt(symbol, from).Ask, part);
            var sell = fills.Sell(market.QuoteAt(symbol, to).Bid, buy.Quantity);
            var profit = sell.Notional - sell.Fee - (buy.Notional + buy.Fee);
            legs.Add(new BuyAndHoldSymbol(symbol, buy.Price, sell.Price, profit, (double)(profit / part * 100m)));
        }
        var total = legs.Sum(l => l.Profit);
        return new BuyAndHold(total, (double)(total / startingBalance * 100m), legs);
    }
}

/// <summary>
/// The report of a backtest (SPEC §6): the <see cref="TradeStatistics"/> of its trades, the buy-and-hold benchmark, the
/// mark-to-market equity curve (at most 2,000 points) and every trade.
/// </summary>
public sealed record BacktestReport
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
    public IReadOnlyDictionary<string, int> ExitReasons { get; init; } = new Dictionary<string, int>();
    public BuyAndHold? BuyAndHold { get; init; }
    public IReadOnlyList<EquityPoint> EquityCurve { get; init; } = [];
    public IReadOnlyList<BacktestTrade> TradeList { get; init; } = [];

    public static BacktestReport Build(BacktestSetup setup, IReadOnlyList<Position> trades, IReadOnlyList<EquityPoint> equity, BuyAndHold buyAndHold)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(trades);
        var stats = TradeStatistics.Compute(trades, setup.StartingBalance, setup.From, setup.To);
        return new BacktestReport
        {
            Trades = stats.Trades,
            TotalProfit = stats.TotalProfit,
            TotalProfitPct = stats.TotalProfitPct,
            Cagr = stats.Cagr,
            Wins = stats.Wins,
            Draws = stats.Draws,
            Losses = stats.Losses,
            WinRate = stats.WinRate,
            ProfitFactor = stats.ProfitFactor,
            Expectancy = stats.Expectancy,
            AvgProfitPct = stats.AvgProfitPct,
            MaxDrawdown = stats.MaxDrawdown,
            MaxDrawdownPct = stats.MaxDrawdownPct,
            MaxDrawdownStart = stats.MaxDrawdownStart,
            MaxDrawdownEnd = stats.MaxDrawdownEnd,
            Sharpe = stats.Sharpe,
            Sortino = stats.Sortino,
            Calmar = stats.Calmar,
            Exposure = stats.Exposure,
            BestTrade = stats.BestTrade,
            WorstTrade = stats.WorstTrade,
            AvgDuration = stats.AvgDuration,
            ExitReasons = stats.ExitReasons.ToDictionary(r => ExitReasonNames.ToWire(r.Key), r => r.Value, StringComparer.Ordinal),
            BuyAndHold = buyAndHold,
            EquityCurve = equity,
            TradeList = trades.Where(t => !t.IsOpen).OrderBy(t => t.ClosedAt).ThenBy(t => t.Id, StringComparer.Ordinal)
                .Select(BacktestTrade.From).ToList(),
        };
    }
}
