using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

/// <summary>
/// End to end on constructed price paths: open at a quote, mark every bid, close on the first exit rule that fires,
/// and check the realized PnL to the last decimal against arithmetic done by hand.
/// </summary>
/// <remarks>
/// Common entry (all paths): ask 100, slippage 5 bps → entry price 100 × 1.0005 = 100.05.
/// Quantity = 100 USDT / 100.05 = 0.99950024987… → 0.99950024 (8 dp, rounded down).
/// Entry notional = 0.99950024 × 100.05 = 99.999999012; entry fee = 0.1 % = 0.099999999012.
/// Entry cost = 100.099999011012.
/// Risk: stop-loss 2 % → 100.05 × 0.98 = 98.049; take-profit 3 % → 100.05 × 1.03 = 103.0515; trailing 1 %.
/// </remarks>
public sealed class PaperTradeScenarioTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PaperFillModel Model = new();
    private static readonly RiskParameters Risk = new(PositionSizeQuote: 100m, MaxOpenPositions: 3, StopLossPct: 2m,
        TakeProfitPct: 3m, TrailingStopPct: 1m);

    private sealed record Outcome(Position Position, int ClosedAtStep);

    /// <summary>Opens at ask 100 and walks <paramref name="bids"/> (one per minute) until an exit rule fires.</summary>
    private static Outcome Run(RiskParameters risk, params decimal[] bids)
    {
        var entryId = ClientOrderId.For("conn-1", "BTCUSDT", Start, OrderSide.Buy);
        var position = Position.Open(entryId, "conn-1", "BTCUSDT", Model.Buy(100m, risk.PositionSizeQuote), Start, entryId);
        for (var i = 0; i < bids.Length; i++)
        {
            position = position.MarkTo(bids[i]);
            if (ExitRules.Evaluate(position, bids[i], risk) is { } reason)
            {
                var exit = Model.Sell(bids[i], position.Quantity);
                return new Outcome(position.Close(exit, Start.AddMinutes(i + 1), reason, ClientOrderId.ForExit(entryId)), i);
            }
        }
        return new Outcome(position, -1);
    }

    [Fact]
    public void Entry_matches_the_hand_computation()
    {
        var position = Run(Risk).Position;

        Assert.Equal(100.05m, position.EntryPrice);
        Assert.Equal(0.99950024m, position.Quantity);
        Assert.Equal(0.099999999012m, position.EntryFee);
        Assert.Equal(100.099999011012m, position.EntryCost);
    }

    [Fact]
    public void Stop_loss_path()
    {
        // 99.5 and 98.5 stay above 98.049; 98.0 is at or below it → stop-loss at bid 98.
        // Exit price 98 × 0.9995 = 97.951; proceeds 0.99950024 × 97.951 = 97.90204800824; fee 0.09790204800824.
        // PnL = 97.90204800824 − 0.09790204800824 − 100.099999011012 = −2.29585305078024
        var (position, step) = Run(Risk, 99.5m, 98.5m, 98.0m, 97m);

        Assert.Equal(2, step);
        Assert.Equal(ExitReason.StopLoss, position.ExitReason);
        Assert.Equal(97.951m, position.ExitPrice);
        Assert.Equal(0.09790204800824m, position.ExitFee);
        Assert.Equal(-2.29585305078024m, position.RealizedPnl);
        Assert.Equal(Start.AddMinutes(3), position.ClosedAt);
    }

    [Fact]
    public void Take_profit_path()
    {
        // No trailing stop. 101, 102.5, 103.05 stay below 103.0515; 103.06 reaches it → take-profit at bid 103.06.
        // Exit price 103.06 × 0.9995 = 103.00847; proceeds 0.99950024 × 103.00847 = 102.9569904870328;
        // fee 0.1029569904870328. PnL = 102.9569904870328 − 0.1029569904870328 − 100.099999011012 = 2.7540344855337672
        var (position, step) = Run(Risk with { TrailingStopPct = null }, 101m, 102.5m, 103.05m, 103.06m);

        Assert.Equal(3, step);
        Assert.Equal(ExitReason.TakeProfit, position.ExitReason);
        Assert.Equal(103.00847m, position.ExitPrice);
        Assert.Equal(0.1029569904870328m, position.ExitFee);
        Assert.Equal(2.7540344855337672m, position.RealizedPnl);
    }

    [Fact]
    public void Trailing_stop_path()
    {
        // High climbs to 102 → trail level 102 × 0.99 = 100.98. 101.5 stays above it; 100.9 is below → trailing stop.
        // (Neither 98.049 nor 103.0515 is ever reached.)
        // Exit price 100.9 × 0.9995 = 100.84955; proceeds 0.99950024 × 100.84955 = 100.799149428892;
        // fee 0.100799149428892. PnL = 100.799149428892 − 0.100799149428892 − 100.099999011012 = 0.598351268451108
        var (position, step) = Run(Risk, 101m, 102m, 101.5m, 100.9m);

        Assert.Equal(3, step);
        Assert.Equal(102m, position.HighestPrice);
        Assert.Equal(ExitReason.TrailingStop, position.ExitReason);
        Assert.Equal(100.84955m, position.ExitPrice);
        Assert.Equal(0.100799149428892m, position.ExitFee);
        Assert.Equal(0.598351268451108m, position.RealizedPnl);
    }

    [Fact]
    public void A_path_that_touches_no_threshold_stays_open()
    {
        // High 100.2 → trail level 99.198, and 99.5 stays above it; high 101 → trail level 99.99, and 100.5 stays above
        // it. Neither 98.049 nor 103.0515 is reached.
        var (position, step) = Run(Risk, 100m, 100.2m, 99.5m, 101m, 100.5m);

        Assert.Equal(-1, step);
        Assert.True(position.IsOpen);
        Assert.Equal(101m, position.HighestPrice);
        Assert.Null(position.RealizedPnl);
    }

    [Fact]
    public void The_exit_order_id_is_derived_from_the_entry_order_id()
    {
        var (position, _) = Run(Risk, 98m);

        Assert.Equal(ClientOrderId.ForExit(position.ClientOrderId), position.ExitClientOrderId);
        Assert.NotEqual(position.ClientOrderId, position.ExitClientOrderId);
    }
}
