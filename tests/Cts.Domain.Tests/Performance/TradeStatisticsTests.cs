using Cts.Domain.Performance;
using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Performance;

/// <summary>
/// Every metric of <see cref="TradeStatistics"/> on one hand-computed list (starting balance 1,000; window 1–5 January,
/// four days):
/// T1 +10 (1 → 110 − 100, 1 Jan 01:00–03:00, take-profit), T2 −5 (2 Jan 00:00–02:00, stop-loss),
/// T3 0 (2 × 50 → 50, 2 Jan 01:00–04:00, signal), T4 +20 (4 Jan 10:00–12:00, take-profit).
/// </summary>
public sealed class TradeStatisticsTests
{
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(4);
    private const decimal Balance = 1000m;

    private static readonly Position T1 = Trade("t1", 1m, 100m, 110m, From.AddHours(1), From.AddHours(3), ExitReason.TakeProfit);
    private static readonly Position T2 = Trade("t2", 1m, 100m, 95m, From.AddDays(1), From.AddDays(1).AddHours(2), ExitReason.StopLoss);
    private static readonly Position T3 = Trade("t3", 2m, 50m, 50m, From.AddDays(1).AddHours(1), From.AddDays(1).AddHours(4), ExitReason.Signal);
    private static readonly Position T4 = Trade("t4", 1m, 100m, 120m, From.AddDays(3).AddHours(10), From.AddDays(3).AddHours(12), ExitReason.TakeProfit);

    private static readonly TradeStatistics Stats = TradeStatistics.Compute([T4, T2, T1, T3], Balance, From, To);

    private static Position Trade(string id, decimal quantity, decimal entry, decimal exit, DateTimeOffset opened, DateTimeOffset closed, ExitReason reason) =>
        Position.Open(id, "c", "BTCUSDT", quantity, entry, 0m, opened, id).Close(exit, 0m, closed, reason, id + "-x");

    // Daily returns on the realized equity at the start of each day: 10/1000, −5/1010, 0/1005, 20/1005.
    private static readonly double[] Returns = [10.0 / 1000, -5.0 / 1010, 0, 20.0 / 1005];

    [Fact] public void Trades_counts_closed_positions() => Assert.Equal(4, Stats.Trades);

    [Fact] public void Total_profit_is_the_sum_of_profits() => Assert.Equal(25m, Stats.TotalProfit);

    [Fact] public void Total_profit_pct_is_of_the_starting_balance() => Assert.Equal(2.5, Stats.TotalProfitPct, 12);

    [Fact]
    public void Wins_draws_and_losses_split_by_the_sign_of_the_profit()
    {
        Assert.Equal((2, 1, 1), (Stats.Wins, Stats.Draws, Stats.Losses));
    }

    [Fact] public void Win_rate_is_wins_over_trades() => Assert.Equal(0.5, Stats.WinRate);

    [Fact] public void Profit_factor_is_gross_profit_over_gross_loss() => Assert.Equal(30.0 / 5.0, Stats.ProfitFactor!.Value, 12);

    [Fact] public void Expectancy_is_the_mean_profit_per_trade() => Assert.Equal(6.25m, Stats.Expectancy);

    // Each trade's profit of its entry cost: +10 %, −5 %, 0 % (0 of 2 × 50), +20 %.
    [Fact] public void Avg_profit_pct_is_the_mean_of_the_trades_profit_pct() => Assert.Equal((10.0 - 5.0 + 0.0 + 20.0) / 4, Stats.AvgProfitPct!.Value, 12);

    [Fact]
    public void Max_drawdown_is_the_largest_fall_from_a_realized_peak_with_its_start_and_end()
    {
        Assert.Equal(5m, Stats.MaxDrawdown);
        Assert.Equal(5.0 / 1010 * 100, Stats.MaxDrawdownPct, 10);
        Assert.Equal(T1.ClosedAt, Stats.MaxDrawdownStart); // the peak of 1,010
        Assert.Equal(T2.ClosedAt, Stats.MaxDrawdownEnd);   // the trough of 1,005 (T3's draw does not deepen it)
    }

    [Fact]
    public void Cagr_compounds_the_window_return_to_a_year()
    {
        Assert.Equal(Math.Pow(1025.0 / 1000.0, 365.25 / 4) - 1, Stats.Cagr!.Value, 9);
    }

    [Fact]
    public void Sharpe_is_the_mean_daily_return_over_its_sample_deviation_annualized()
    {
        var mean = Returns.Average();
        var sd = Math.Sqrt(Returns.Sum(r => (r - mean) * (r - mean)) / 3);
        Assert.Equal(mean / sd * Math.Sqrt(365), Stats.Sharpe!.Value, 9);
    }

    [Fact]
    public void Sortino_divides_by_the_downside_deviation()
    {
        var downside = Math.Sqrt(Returns[1] * Returns[1] / 4);
        Assert.Equal(Returns.Average() / downside * Math.Sqrt(365), Stats.Sortino!.Value, 9);
    }

    [Fact]
    public void Calmar_is_cagr_over_the_max_drawdown_fraction()
    {
        Assert.Equal((Math.Pow(1.025, 365.25 / 4) - 1) / (5.0 / 1010), Stats.Calmar!.Value, 6);
    }

    [Fact]
    public void Exposure_is_the_share_of_the_window_with_a_position_open_overlaps_counted_once()
    {
        // T1 2 h, T2 ∪ T3 = 00:00–04:00 on 2 Jan (4 h), T4 2 h: 8 of 96 hours.
        Assert.Equal(8.0 / 96.0, Stats.Exposure, 12);
    }

    [Fact]
    public void Best_and_worst_trade_by_profit_with_their_percent_of_entry_cost()
    {
        Assert.Equal(("t4", 20m, 20.0), (Stats.BestTrade!.PositionId, Stats.BestTrade.Profit, Stats.BestTrade.ProfitPct));
        Assert.Equal(("t2", -5m, -5.0), (Stats.WorstTrade!.PositionId, Stats.WorstTrade.Profit, Stats.WorstTrade.ProfitPct));
    }

    [Fact] public void Average_duration_is_the_mean_time_in_a_trade() => Assert.Equal(TimeSpan.FromHours(2.25), Stats.AvgDuration);

    [Fact]
    public void Exit_reasons_are_counted()
    {
        Assert.Equal(new Dictionary<ExitReason, int> { [ExitReason.StopLoss] = 1, [ExitReason.TakeProfit] = 2, [ExitReason.Signal] = 1 },
            Stats.ExitReasons);
    }

    [Fact]
    public void Daily_profit_covers_every_day_of_the_window()
    {
        Assert.Equal(
            [new DailyProfit(new DateOnly(2025, 1, 1), 10m, 1), new DailyProfit(new DateOnly(2025, 1, 2), -5m, 2),
             new DailyProfit(new DateOnly(2025, 1, 3), 0m, 0), new DailyProfit(new DateOnly(2025, 1, 4), 20m, 1)],
            Stats.Daily);
    }

    [Fact]
    public void Realized_equity_starts_at_the_balance_and_steps_at_each_close_in_close_order()
    {
        Assert.Equal([1000m, 1010m, 1005m, 1005m, 1025m], Stats.RealizedEquity.Select(p => p.Equity));
        Assert.Equal([From, T1.ClosedAt!.Value, T2.ClosedAt!.Value, T3.ClosedAt!.Value, T4.ClosedAt!.Value], Stats.RealizedEquity.Select(p => p.At));
    }

    [Fact]
    public void Without_trades_ratios_are_undefined_not_zero()
    {
        var none = TradeStatistics.Compute([], Balance, From, To);
        Assert.Equal(0, none.Trades);
        Assert.Null(none.WinRate);
        Assert.Null(none.ProfitFactor);
        Assert.Null(none.Expectancy);
        Assert.Null(none.AvgProfitPct);
        Assert.Null(none.Sharpe);
        Assert.Null(none.BestTrade);
        Assert.Equal(0m, none.MaxDrawdown);
        Assert.Equal(0, none.Exposure);
    }
}
