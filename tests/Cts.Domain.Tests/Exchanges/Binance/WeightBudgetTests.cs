using Cts.Domain.Exchanges.Binance;

namespace Cts.Domain.Tests.Exchanges.Binance;

/// <summary>rest-api.md "IP Limits": weight per minute from X-MBX-USED-WEIGHT-1M, back-off before the limit, Retry-After after a 429/418.</summary>
public sealed class WeightBudgetTests
{
    private static readonly DateTimeOffset Minute = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Calls_go_until_the_threshold_then_wait_for_the_next_minute()
    {
        var budget = new WeightBudget(limitPerMinute: 100, threshold: 0.9);

        Assert.Equal(TimeSpan.Zero, budget.Reserve(80, Minute.AddSeconds(10)));
        Assert.Equal(TimeSpan.Zero, budget.Reserve(10, Minute.AddSeconds(11)));
        Assert.Equal(TimeSpan.FromSeconds(48), budget.Reserve(1, Minute.AddSeconds(12)));
        Assert.Equal(90, budget.Used);
        Assert.Equal(TimeSpan.Zero, budget.Reserve(1, Minute.AddSeconds(60)));
        Assert.Equal(1, budget.Used);
    }

    [Fact]
    public void The_venue_s_reported_weight_counts_when_it_is_higher_than_our_own()
    {
        var budget = new WeightBudget(limitPerMinute: 100);
        budget.Reserve(2, Minute);

        budget.Observe(89, Minute.AddSeconds(1));

        Assert.Equal(89, budget.Used);
        Assert.NotEqual(TimeSpan.Zero, budget.Reserve(2, Minute.AddSeconds(2)));
    }

    [Fact]
    public void After_a_429_nothing_goes_until_its_retry_after_has_passed()
    {
        var budget = new WeightBudget();

        budget.Block(Minute, TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(2), budget.Reserve(1, Minute.AddSeconds(1)));
        Assert.Equal(TimeSpan.Zero, budget.Reserve(1, Minute.AddSeconds(3)));
    }

    [Fact]
    public void The_limit_from_exchange_info_replaces_the_default()
    {
        var budget = new WeightBudget();

        budget.SetLimit(10);

        Assert.Equal(10, budget.Limit);
        Assert.Equal(TimeSpan.Zero, budget.Reserve(9, Minute));
        Assert.NotEqual(TimeSpan.Zero, budget.Reserve(1, Minute));
    }
}
