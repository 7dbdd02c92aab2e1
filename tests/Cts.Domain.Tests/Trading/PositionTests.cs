using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

public sealed class PositionTests
{
    private static readonly DateTimeOffset OpenedAt = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PaperFillModel Model = new();

    /// <summary>Bought 100 USDT worth at ask 100: price 100.05, quantity 0.99950024, fee 0.099999999012 (see PaperFillModelTests).</summary>
    private static Position Opened() =>
        Position.Open("p1", "conn-1", "BTCUSDT", Model.Buy(100m, 100m), OpenedAt, "cts-entry");

    [Fact]
    public void Opening_records_the_entry_and_starts_the_high_at_the_entry_price()
    {
        var position = Opened();

        Assert.Equal(PositionStatus.Open, position.Status);
        Assert.True(position.IsOpen);
        Assert.Equal(0.99950024m, position.Quantity);
        Assert.Equal(100.05m, position.EntryPrice);
        Assert.Equal(0.099999999012m, position.EntryFee);
        Assert.Equal(100.05m, position.HighestPrice);
        Assert.Equal(100.099999011012m, position.EntryCost);
        Assert.Null(position.RealizedPnl);
        Assert.Null(position.ExitReason);
    }

    [Fact]
    public void Marking_raises_the_high_and_never_lowers_it()
    {
        var position = Opened().MarkTo(101m).MarkTo(103m).MarkTo(102m);

        Assert.Equal(103m, position.HighestPrice);
        Assert.Equal(100.05m, Opened().MarkTo(99m).HighestPrice);
    }

    [Fact]
    public void Marking_returns_a_new_value_and_leaves_the_original_alone()
    {
        var original = Opened();

        var marked = original.MarkTo(110m);

        Assert.Equal(100.05m, original.HighestPrice);
        Assert.Equal(110m, marked.HighestPrice);
    }

    [Fact]
    public void Unrealized_pnl_is_what_closing_at_the_bid_would_realize()
    {
        // bid 101 → sell fill 101 × 0.9995 = 100.9495; proceeds 0.99950024 × 100.9495 = 100.89904947788
        // exit fee 0.10089904947788; entry cost 99.999999012 + 0.099999999012 = 100.099999011012
        // PnL = 100.89904947788 − 0.10089904947788 − 100.099999011012 = 0.69815141739012
        var pnl = Opened().UnrealizedPnl(101m, Model);

        Assert.Equal(0.69815141739012m, pnl);
        var closed = Opened().Close(Model.Sell(101m, 0.99950024m), OpenedAt.AddMinutes(5), ExitReason.Manual, "cts-exit");
        Assert.Equal(pnl, closed.RealizedPnl);
    }

    [Fact]
    public void Unrealized_pnl_at_the_entry_ask_is_the_round_trip_cost()
    {
        // Bid = ask = 100: lose both slippages and both fees.
        // sell 99.95; proceeds 0.99950024 × 99.95 = 99.900048988; fee 0.099900048988
        // PnL = 99.900048988 − 0.099900048988 − 100.099999011012 = −0.29985007200
        Assert.Equal(-0.299850072m, Opened().UnrealizedPnl(100m, Model));
    }

    [Fact]
    public void Closing_records_the_exit_and_realizes_the_pnl()
    {
        var closedAt = OpenedAt.AddMinutes(30);

        var closed = Opened().Close(exitPrice: 97.951m, exitFee: 0.09790204800824m, closedAt, ExitReason.StopLoss, "cts-exit");

        Assert.Equal(PositionStatus.Closed, closed.Status);
        Assert.False(closed.IsOpen);
        Assert.Equal(97.951m, closed.ExitPrice);
        Assert.Equal(0.09790204800824m, closed.ExitFee);
        Assert.Equal(closedAt, closed.ClosedAt);
        Assert.Equal(ExitReason.StopLoss, closed.ExitReason);
        Assert.Equal("cts-exit", closed.ExitClientOrderId);
        // 0.99950024 × 97.951 − 0.09790204800824 − 100.099999011012 = −2.29585305078024
        Assert.Equal(-2.29585305078024m, closed.RealizedPnl);
    }

    [Fact]
    public void A_closed_position_cannot_be_closed_marked_or_valued_again()
    {
        var closed = Opened().Close(99m, 0.1m, OpenedAt.AddMinutes(1), ExitReason.Manual, "cts-exit");

        Assert.Throws<InvalidOperationException>(() => closed.Close(99m, 0.1m, OpenedAt.AddMinutes(2), ExitReason.Manual, "cts-exit-2"));
        Assert.Throws<InvalidOperationException>(() => closed.MarkTo(100m));
        Assert.Throws<InvalidOperationException>(() => closed.UnrealizedPnl(100m, Model));
    }

    [Fact]
    public void Guards_refuse_impossible_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Position.Open("p", "c", "S", 0m, 1m, 0m, OpenedAt, "id"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Position.Open("p", "c", "S", 1m, 0m, 0m, OpenedAt, "id"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Position.Open("p", "c", "S", 1m, 1m, -0.1m, OpenedAt, "id"));
        Assert.Throws<ArgumentException>(() => Position.Open("", "c", "S", 1m, 1m, 0m, OpenedAt, "id"));
        Assert.Throws<ArgumentException>(() => Position.Open("p", "c", "S", 1m, 1m, 0m, OpenedAt, " "));
        Assert.Throws<ArgumentOutOfRangeException>(() => Opened().MarkTo(0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Opened().Close(99m, 0.1m, OpenedAt.AddSeconds(-1), ExitReason.Manual, "x"));
        Assert.Throws<ArgumentException>(() => Opened().Close(new Fill(99m, 0.5m, 0.1m), OpenedAt, ExitReason.Manual, "x"));
    }

    [Fact]
    public void Restore_round_trips_open_and_closed_positions_and_refuses_inconsistent_ones()
    {
        var open = Opened().MarkTo(104m);
        var closed = open.Close(103m, 0.1m, OpenedAt.AddHours(1), ExitReason.TrailingStop, "cts-exit");

        Position Restore(Position p) => Position.Restore(p.Id, p.ConnectionId, p.Symbol, p.Quantity, p.EntryPrice, p.EntryFee,
            p.OpenedAt, p.ClientOrderId, p.HighestPrice, p.Status, p.ExitPrice, p.ExitFee, p.ClosedAt, p.ExitReason, p.ExitClientOrderId);

        Assert.Equal(open, Restore(open));
        Assert.Equal(closed, Restore(closed));
        Assert.Throws<ArgumentException>(() => Position.Restore("p", "c", "S", 1m, 1m, 0m, OpenedAt, "id", 1m,
            PositionStatus.Closed, 2m, null, OpenedAt, ExitReason.Manual, "x"));
        Assert.Throws<ArgumentException>(() => Position.Restore("p", "c", "S", 1m, 1m, 0m, OpenedAt, "id", 1m,
            PositionStatus.Open, 2m, null, null, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => Position.Restore("p", "c", "S", 1m, 1m, 0m, OpenedAt, "id", 0.5m,
            PositionStatus.Open, null, null, null, null, null));
    }
}
