using Cts.Domain.Strategies;
using Cts.Domain.Trading;

namespace Cts.Domain.Backtesting;

/// <summary>
/// What one backtest runs: a preset's strategy and risk limits, its processor cadence, on some symbols over a window,
/// with the paper venue's fill model and a starting balance.
/// </summary>
/// <param name="ConnectionId">The id its orders are keyed by (client order ids and position ids), as an engine's connection id.</param>
/// <param name="From">First instant of the window: the engine "starts" here. On a whole minute.</param>
/// <param name="To">End of the window: cycles due before it run, then open positions are closed at it (like a stop with closePositions).</param>
/// <param name="MaxEquityPoints">The equity curve is sampled at a fixed step so it has at most this many points.</param>
public sealed record BacktestSetup(
    string ConnectionId,
    IReadOnlyList<string> Symbols,
    DateTimeOffset From,
    DateTimeOffset To,
    StrategyParameters Strategy,
    RiskParameters Risk,
    CycleCadence Cadence,
    PaperFillModel Fills,
    decimal StartingBalance,
    int MaxEquityPoints = 2000)
{
    /// <summary>The step of the equity curve: whole minutes, so that the curve has at most <see cref="MaxEquityPoints"/> points.</summary>
    public TimeSpan EquityStep
    {
        get
        {
            var minutes = Math.Ceiling((To - From).TotalMinutes);
            return TimeSpan.FromMinutes(Math.Max(1, Math.Ceiling(minutes / (MaxEquityPoints - 2))));
        }
    }
}

/// <summary>The value of the account at a time: quote cash plus what selling every open position at the bid would bring.</summary>
public sealed record EquityPoint(DateTimeOffset At, decimal Equity);
