using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

public sealed class ExitRulesTests
{
    private static readonly DateTimeOffset OpenedAt = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A position entered at exactly 100 (no slippage) so thresholds read directly.</summary>
    private static Position At100() => Position.Open("p1", "conn-1", "BTCUSDT", 1m, 100m, 0.1m, OpenedAt, "cts-entry");

    private static readonly RiskParameters Risk = new(100m, 3, StopLossPct: 2m, TakeProfitPct: 4m, TrailingStopPct: 1m);

    [Theory]
    [InlineData(98.01, null)]
    [InlineData(98.00, ExitReason.StopLoss)] // 100 × (1 − 2 %) = 98, inclusive
    [InlineData(90.00, ExitReason.StopLoss)]
    [InlineData(103.99, null)]
    [InlineData(104.00, ExitReason.TakeProfit)] // 100 × (1 + 4 %) = 104, inclusive
    [InlineData(120.00, ExitReason.TakeProfit)]
    public void Stop_loss_and_take_profit_thresholds_are_inclusive(double bid, ExitReason? expected)
    {
        Assert.Equal(expected, ExitRules.Evaluate(At100(), (decimal)bid, Risk));
    }

    [Fact]
    public void Trailing_stop_fires_when_the_bid_falls_the_trail_below_the_high()
    {
        var position = At100().MarkTo(102m); // trail level 102 × 0.99 = 100.98

        Assert.Null(ExitRules.Evaluate(position, 100.99m, Risk));
        Assert.Equal(ExitReason.TrailingStop, ExitRules.Evaluate(position, 100.98m, Risk));
    }

    [Fact]
    public void Trailing_stop_waits_until_the_price_has_been_above_entry()
    {
        // Never above 100: the trail level 100 × 0.99 = 99 is hit at 98.5, but only the 2 % stop-loss applies.
        var position = At100().MarkTo(99.5m);

        Assert.Equal(100m, position.HighestPrice);
        Assert.Null(ExitRules.Evaluate(position, 98.5m, Risk));
        Assert.Equal(ExitReason.StopLoss, ExitRules.Evaluate(position, 98m, Risk));
    }

    [Fact]
    public void Without_a_trailing_percentage_there_is_no_trailing_stop()
    {
        var position = At100().MarkTo(103m);

        Assert.Null(ExitRules.Evaluate(position, 100.5m, Risk with { TrailingStopPct = null }));
    }

    [Fact]
    public void Stop_loss_wins_over_trailing_stop()
    {
        // High 101 → trail level 99.99; bid 97 hits both the trail and the 98 stop.
        Assert.Equal(ExitReason.StopLoss, ExitRules.Evaluate(At100().MarkTo(101m), 97m, Risk));
    }

    [Fact]
    public void Trailing_stop_wins_over_take_profit()
    {
        // High 110 → trail level 108.9; bid 105 is both past the 104 take-profit and below the trail.
        Assert.Equal(ExitReason.TrailingStop, ExitRules.Evaluate(At100().MarkTo(110m), 105m, Risk));
    }

    [Fact]
    public void Marking_before_or_after_evaluating_gives_the_same_answer()
    {
        var position = At100().MarkTo(102m);
        foreach (var bid in new[] { 97m, 99.5m, 100.98m, 101m, 102.5m, 104m, 106m })
        {
            Assert.Equal(ExitRules.Evaluate(position, bid, Risk), ExitRules.Evaluate(position.MarkTo(bid), bid, Risk));
        }
    }

    [Fact]
    public void A_closed_position_has_no_exit_to_evaluate()
    {
        var closed = At100().Close(99m, 0.1m, OpenedAt.AddMinutes(1), ExitReason.Manual, "x");

        Assert.Throws<InvalidOperationException>(() => ExitRules.Evaluate(closed, 90m, Risk));
    }
}
