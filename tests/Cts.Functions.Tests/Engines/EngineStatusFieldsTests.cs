using System.Text.Json;
using Cts.Domain.Processors;
using Cts.Functions.Engines;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Engines;

/// <summary>
/// The status board's document written straight from an engine's fields is byte for byte the status object the API
/// serializes from the same fields — whatever the engine's life has put in them — and writing it builds no object.
/// </summary>
public sealed class EngineStatusFieldsTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 12, 5, 9, 30, 15, 123, TimeSpan.Zero).AddTicks(4567);

    private static readonly ProcessorIntervals Intervals = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1500));

    /// <summary>Cycles whose processors ran: one failing (with an error that needs escaping), one succeeding, one never run.</summary>
    private static EngineCycles Cycles()
    {
        var cycles = new EngineCycles([], new FakeTimeProvider(At), TimeSpan.FromSeconds(5));
        var realtime = cycles.Health[ProcessorKind.Realtime];
        for (var i = 1; i <= 40; i++)
        {
            realtime.RecordSuccess(At.AddSeconds(i), TimeSpan.FromTicks(12_345 * i));
        }
        realtime.RecordFailure(At.AddSeconds(41), TimeSpan.FromMilliseconds(5000), "cycle timed out — \"quote\" <late> é");
        cycles.Health[ProcessorKind.Strategies].RecordSuccess(At.AddSeconds(3), TimeSpan.FromMilliseconds(0.25));
        return cycles;
    }

    private static EngineStatusFields Full(EngineCycles cycles) => new()
    {
        ConnectionId = "binance-spot-ü-01",
        State = "Error",
        AllowedActions = ["start", "stop", "reset"],
        Since = At.AddMinutes(-3),
        ConfigVersion = 17,
        ConnectionVersion = 4,
        RestartReason = "credentials changed — restart to apply \"new\" keys",
        LastError = new EngineError("exchange", "rate limited: 429 <retry-after 2 s>", At.AddSeconds(-1)),
        Retry = new RetrySchedule(2, 5, At.AddSeconds(30)),
        Escalated = true,
        Cycles = cycles,
        Intervals = Intervals,
        OpenPositions = 3,
        RealizedPnl = 1234.56789012m,
        UnrealizedPnl = -0.00000001m,
        UpdatedAt = At,
        Degraded = "storage",
    };

    private static EngineStatusFields Fresh(EngineCycles cycles) => new()
    {
        ConnectionId = "c1",
        State = "Stopped",
        AllowedActions = [],
        Cycles = cycles,
        Intervals = Intervals,
    };

    private static EngineStatusFields RetryWithoutTime(EngineCycles cycles) => new()
    {
        ConnectionId = "c2",
        State = "Error",
        AllowedActions = ["reset"],
        Retry = new RetrySchedule(5, 5, null),
        Cycles = cycles,
        Intervals = Intervals,
        RealizedPnl = 10m,
    };

    private static void AssertSameDocument(in EngineStatusFields fields)
    {
        var expected = JsonSerializer.Serialize(fields.ToStatus(), ApiJsonOptions.Response);
        var written = System.Text.Encoding.UTF8.GetString(StatusJson.Write(in fields));
        Assert.Equal(expected, written);
    }

    [Fact]
    public void An_engine_with_every_field_set_writes_the_document_its_status_serializes_to()
    {
        var cycles = Cycles();
        var fields = Full(cycles);
        AssertSameDocument(in fields);

        using var parsed = JsonDocument.Parse(StatusJson.Write(in fields).ToArray());
        var realtime = parsed.RootElement.GetProperty("processors").GetProperty("realtime");
        Assert.Equal(1500, realtime.GetProperty("intervalMs").GetInt32());
        Assert.Equal(41, realtime.GetProperty("runs").GetInt64());
        Assert.Equal(cycles.Health[ProcessorKind.Realtime].P95LatencyMs, realtime.GetProperty("p95LatencyMs").GetDouble());
        Assert.Equal(5000, realtime.GetProperty("lastLatencyMs").GetDouble());
        Assert.True(parsed.RootElement.GetProperty("restartRequired").GetBoolean());
    }

    [Fact]
    public void A_fresh_engine_and_one_whose_retries_ran_out_write_their_nulls_as_the_status_does()
    {
        var fresh = Fresh(new EngineCycles([], new FakeTimeProvider(At), TimeSpan.FromSeconds(5)));
        AssertSameDocument(in fresh);
        var exhausted = RetryWithoutTime(Cycles());
        AssertSameDocument(in exhausted);
    }

    [Fact]
    public void Writing_the_document_from_the_fields_allocates_nothing()
    {
        var cycles = Cycles();
        long Allocated()
        {
            var fields = Full(cycles);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var length = StatusJson.Write(in fields).Length;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(length > 500);
            return allocated;
        }
        Allocated(); // warm-up: the thread's buffer and writer are made once

        // A status object, its processors' dictionary and a view each are ~1 KB: the board's document needs none of them.
        Assert.Equal(0, Allocated());
    }
}
