using Cts.Domain.Processors;

namespace Cts.Domain.Tests.Processors;

public sealed class ProcessorHealthTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void A_fresh_health_has_no_runs_a_success_rate_of_one_and_no_latency()
    {
        var health = new ProcessorHealth();

        Assert.Equal(0, health.Runs);
        Assert.Equal(0, health.Successes);
        Assert.Equal(0, health.Failures);
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Equal(1.0, health.SuccessRate);
        Assert.Null(health.P95LatencyMs);
        Assert.Null(health.LastLatencyMs);
        Assert.Null(health.LastRunAt);
        Assert.Null(health.LastSuccessAt);
        Assert.Null(health.LastError);
    }

    [Fact]
    public void Successes_and_failures_are_counted_and_give_the_success_rate()
    {
        var health = new ProcessorHealth();

        health.RecordSuccess(T0, Ms(10));
        health.RecordFailure(T0.AddSeconds(1), Ms(20), "timeout");
        health.RecordSuccess(T0.AddSeconds(2), Ms(30));
        health.RecordSuccess(T0.AddSeconds(3), Ms(40));

        Assert.Equal(4, health.Runs);
        Assert.Equal(3, health.Successes);
        Assert.Equal(1, health.Failures);
        Assert.Equal(0.75, health.SuccessRate, precision: 12);
    }

    [Fact]
    public void Only_failures_give_a_success_rate_of_zero()
    {
        var health = new ProcessorHealth();

        health.RecordFailure(T0, Ms(5), "a");
        health.RecordFailure(T0, Ms(5), "b");

        Assert.Equal(0.0, health.SuccessRate);
    }

    [Fact]
    public void Last_run_last_success_last_latency_and_last_error_follow_the_latest_runs()
    {
        var health = new ProcessorHealth();

        health.RecordSuccess(T0, Ms(12.5));
        health.RecordFailure(T0.AddSeconds(5), Ms(7.25), "exchange down");

        Assert.Equal(T0.AddSeconds(5), health.LastRunAt);
        Assert.Equal(T0, health.LastSuccessAt);
        Assert.Equal(7.25, health.LastLatencyMs);
        Assert.Equal("exchange down", health.LastError);
    }

    [Fact]
    public void Last_latency_is_rounded_to_the_microsecond()
    {
        var health = new ProcessorHealth();

        health.RecordSuccess(T0, TimeSpan.FromTicks(12_345_678)); // 1234.5678 ms

        Assert.Equal(1234.568, health.LastLatencyMs);
    }

    [Fact]
    public void Consecutive_failures_grow_with_each_failure_and_reset_on_success()
    {
        var health = new ProcessorHealth();

        health.RecordFailure(T0, Ms(1), "1");
        health.RecordFailure(T0, Ms(1), "2");
        health.RecordFailure(T0, Ms(1), "3");
        Assert.Equal(3, health.ConsecutiveFailures);

        health.RecordSuccess(T0, Ms(1));
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Equal(3, health.Failures); // the total is not reset

        health.RecordFailure(T0, Ms(1), "4");
        Assert.Equal(1, health.ConsecutiveFailures);
    }

    [Fact]
    public void P95_is_the_nearest_rank_of_latencies_1_to_100_ms_whatever_their_order()
    {
        var health = new ProcessorHealth();
        var latencies = Enumerable.Range(1, 100).ToArray();
        new Random(1234).Shuffle(latencies);

        foreach (var ms in latencies)
        {
            health.RecordSuccess(T0, Ms(ms));
        }

        Assert.Equal(95.0, health.P95LatencyMs);
    }

    [Fact]
    public void P95_of_a_single_run_is_that_run()
    {
        var health = new ProcessorHealth();

        health.RecordFailure(T0, Ms(42), "x");

        Assert.Equal(42.0, health.P95LatencyMs);
    }

    [Fact]
    public void P95_of_twenty_runs_is_the_nineteenth_smallest()
    {
        // Nearest rank: ceil(0.95 × 20) = 19.
        var health = new ProcessorHealth();
        for (var i = 1; i <= 20; i++)
        {
            health.RecordSuccess(T0, Ms(i * 10));
        }

        Assert.Equal(190.0, health.P95LatencyMs);
    }

    [Fact]
    public void P95_counts_failed_runs_latencies_too()
    {
        var health = new ProcessorHealth();
        for (var i = 0; i < 19; i++)
        {
            health.RecordSuccess(T0, Ms(1));
        }
        health.RecordFailure(T0, Ms(500), "slow");
        health.RecordFailure(T0, Ms(500), "slow");

        // 21 values, nearest rank ceil(19.95) = 20 → the first of the two 500s.
        Assert.Equal(500.0, health.P95LatencyMs);
    }

    [Fact]
    public void The_window_holds_exactly_the_last_128_runs()
    {
        Assert.Equal(128, ProcessorHealth.WindowSize);
        var health = new ProcessorHealth();

        // 7 slow runs then 121 fast: 128 values, rank ceil(0.95 × 128) = 122 → the 122nd smallest is slow.
        for (var i = 0; i < 7; i++)
        {
            health.RecordSuccess(T0, Ms(1000));
        }
        for (var i = 0; i < 121; i++)
        {
            health.RecordSuccess(T0, Ms(1));
        }
        Assert.Equal(1000.0, health.P95LatencyMs);

        // One more fast run pushes the oldest slow run out: 6 slow, 122 fast → the 122nd smallest is fast.
        health.RecordSuccess(T0, Ms(1));
        Assert.Equal(1.0, health.P95LatencyMs);
    }

    [Fact]
    public void The_window_forgets_latencies_older_than_128_runs_but_the_counters_do_not()
    {
        var health = new ProcessorHealth();
        for (var i = 0; i < 50; i++)
        {
            health.RecordFailure(T0, Ms(5000), "slow");
        }
        for (var i = 0; i < ProcessorHealth.WindowSize; i++)
        {
            health.RecordSuccess(T0, Ms(3));
        }

        Assert.Equal(3.0, health.P95LatencyMs);
        Assert.Equal(178, health.Runs);
        Assert.Equal(50, health.Failures);
    }

    [Fact]
    public void Restore_brings_back_every_persisted_counter()
    {
        var health = new ProcessorHealth();
        var lastRun = T0.AddMinutes(3);
        var lastSuccess = T0.AddMinutes(2);

        health.Restore(runs: 10, successes: 7, failures: 3, consecutiveFailures: 2, lastLatencyMs: 15.5,
            lastRunAt: lastRun, lastSuccessAt: lastSuccess, lastError: "boom");

        Assert.Equal(10, health.Runs);
        Assert.Equal(7, health.Successes);
        Assert.Equal(3, health.Failures);
        Assert.Equal(2, health.ConsecutiveFailures);
        Assert.Equal(15.5, health.LastLatencyMs);
        Assert.Equal(lastRun, health.LastRunAt);
        Assert.Equal(lastSuccess, health.LastSuccessAt);
        Assert.Equal("boom", health.LastError);
        Assert.Equal(0.7, health.SuccessRate, precision: 12);
        Assert.Null(health.P95LatencyMs); // the latency window starts empty
    }

    [Fact]
    public void Runs_after_Restore_add_to_the_restored_counters()
    {
        var health = new ProcessorHealth();
        health.Restore(10, 7, 3, 2, 15.5, T0, T0, "boom");

        health.RecordFailure(T0.AddSeconds(1), Ms(8), "again");
        Assert.Equal(11, health.Runs);
        Assert.Equal(4, health.Failures);
        Assert.Equal(3, health.ConsecutiveFailures);

        health.RecordSuccess(T0.AddSeconds(2), Ms(9));
        Assert.Equal(12, health.Runs);
        Assert.Equal(8, health.Successes);
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Equal(8.0 / 12, health.SuccessRate, precision: 12);
        Assert.Equal(9.0, health.P95LatencyMs); // only the runs since the restore are in the window
    }

    [Fact]
    public void The_p95_of_a_full_window_is_the_nearest_rank_and_leaves_the_window_in_run_order()
    {
        var health = new ProcessorHealth();
        // 200 runs with latencies 200, 199, ..., 1 ms: the window keeps the last 128 (128 ms down to 1 ms).
        for (var i = 200; i >= 1; i--)
        {
            health.RecordSuccess(T0.AddSeconds(200 - i), Ms(i));
        }

        // nearest rank: ceil(0.95 × 128) = 122nd smallest of 1..128
        Assert.Equal(122, health.P95LatencyMs);
        Assert.Equal(122, health.P95LatencyMs); // asking again gives the same: sorting did not disturb the window
        health.RecordSuccess(T0.AddSeconds(201), Ms(1000));
        // the window is now 127..1 plus 1000: the 122nd smallest is 122
        Assert.Equal(122, health.P95LatencyMs);
        Assert.Equal(1000, health.LastLatencyMs);
    }
}
