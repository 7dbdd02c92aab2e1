using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

public sealed class EntryGateTests
{
    private static readonly RiskParameters Risk = new(MaxOpenPositions: 3);

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Below_the_limit_an_entry_is_allowed(int open)
    {
        var decision = EntryGate.CanOpen(open, Risk, entriesPaused: false, alreadyActedOnSignal: false);

        Assert.True(decision.Allowed);
        Assert.Null(decision.Refusal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void At_the_limit_an_entry_is_refused(int open)
    {
        var decision = EntryGate.CanOpen(open, Risk, entriesPaused: false, alreadyActedOnSignal: false);

        Assert.False(decision.Allowed);
        Assert.Equal(EntryRefusal.MaxOpenPositions, decision.Refusal);
        Assert.Contains("3", decision.Reason);
    }

    [Fact]
    public void No_entry_while_paused()
    {
        var decision = EntryGate.CanOpen(0, Risk, entriesPaused: true, alreadyActedOnSignal: false);

        Assert.False(decision.Allowed);
        Assert.Equal(EntryRefusal.Paused, decision.Refusal);
        Assert.Contains("paused", decision.Reason);
    }

    [Fact]
    public void A_signal_already_acted_on_is_refused()
    {
        var decision = EntryGate.CanOpen(0, Risk, entriesPaused: false, alreadyActedOnSignal: true);

        Assert.False(decision.Allowed);
        Assert.Equal(EntryRefusal.DuplicateSignal, decision.Refusal);
    }

    [Fact]
    public void The_most_fundamental_reason_is_reported_first()
    {
        Assert.Equal(EntryRefusal.Paused, EntryGate.CanOpen(3, Risk, true, true).Refusal);
        Assert.Equal(EntryRefusal.DuplicateSignal, EntryGate.CanOpen(3, Risk, false, true).Refusal);
    }

    [Fact]
    public void Max_positions_is_honoured_while_filling_up()
    {
        // Open one position per allowed decision: exactly MaxOpenPositions get through.
        var open = 0;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (EntryGate.CanOpen(open, Risk, false, false).Allowed)
            {
                open++;
            }
        }

        Assert.Equal(3, open);
    }

    [Fact]
    public void A_negative_count_is_a_bug_not_a_decision()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EntryGate.CanOpen(-1, Risk, false, false));
    }

    [Fact]
    public void A_forced_entry_is_allowed_below_the_limit()
    {
        Assert.True(EntryGate.CanForceOpen(2, Risk, canPersist: true).Allowed);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void A_forced_entry_respects_the_open_position_limit(int open)
    {
        var decision = EntryGate.CanForceOpen(open, Risk, canPersist: true);

        Assert.False(decision.Allowed);
        Assert.Equal(EntryRefusal.MaxOpenPositions, decision.Refusal);
    }

    [Fact]
    public void No_forced_entry_while_the_engine_cannot_persist_even_below_the_limit()
    {
        var decision = EntryGate.CanForceOpen(0, Risk, canPersist: false);

        Assert.False(decision.Allowed);
        Assert.Equal(EntryRefusal.StorageUnavailable, decision.Refusal);
    }
}
