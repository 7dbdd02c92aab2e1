namespace Cts.Domain.Backtesting;

/// <summary>
/// Everything a backtest needs to go on exactly where it stopped: the next tick of each processor (the cursor), when
/// candles were last read, the position book, the venue's balances, and the equity curve so far. Closed trades are
/// not in it (they are stored as they close); only their count.
/// </summary>
/// <param name="LastIndicationsAt">The last indications run: resuming reads the candles again at that instant, so strategy
/// ticks before the next indications run see what they would have seen.</param>
/// <param name="RecentClientOrderIds">Entry ids of signals a strategy could still emit (the last day): a resumed run never acts on one twice.</param>
public sealed record BacktestCheckpoint(
    DateTimeOffset NextIndications,
    DateTimeOffset NextStrategies,
    DateTimeOffset NextRealtime,
    DateTimeOffset? LastIndicationsAt,
    IReadOnlyList<PositionRecord> OpenPositions,
    decimal RealizedPnl,
    IReadOnlyList<string> RecentClientOrderIds,
    IReadOnlyDictionary<string, decimal> Balances,
    int ClosedTrades,
    IReadOnlyList<EquityPoint> Equity,
    long TicksRun,
    long TicksSkipped,
    bool Completed);
