using System.Buffers;
using System.Text;
using System.Text.Json;
using Cts.Functions.Engines;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Engines;

/// <summary>
/// A status board line keeps its engine's latest status as the API's JSON in a buffer of its own: a newer status
/// overwrites it in place, a late one (from the node that hosted the engine before) is refused, and publishing a status
/// every second costs no object that outlives the publication — what kept ten thousand engines' newest statuses alive
/// at every collection.
/// </summary>
public sealed class StatusLineTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Options = ApiJsonOptions.Response;

    private static EngineStatus Status(string state, long runs, string? error = null) => new()
    {
        ConnectionId = "engine-1",
        State = state,
        AllowedActions = ["pause", "stop"],
        LastError = error is null ? null : new EngineError("exchange", error, At),
        Processors = new Dictionary<string, ProcessorHealthView>
        {
            ["realtime"] = new() { IntervalMs = 1000, Runs = runs, Successes = runs, LastRunAt = At },
            ["strategies"] = new() { IntervalMs = 5000, Runs = runs / 5 },
        },
        UpdatedAt = At,
    };

    /// <summary>The line's document as a listing writes it.</summary>
    private static string Text(StatusLine line)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Assert.True(line.WriteTo(writer));
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_newer_status_replaces_the_document_and_a_late_one_is_refused()
    {
        var line = new StatusLine(At, 1);
        Assert.False(line.Known);

        Assert.True(line.Take(StatusJson.Write(Status("Running", 10, "a long message that makes the document longer than the next")), "Running", At, 2));
        Assert.True(line.Take(StatusJson.Write(Status("Paused", 20)), "Paused", At.AddSeconds(1), 3));
        Assert.False(line.Take(StatusJson.Write(Status("Stopped", 5)), "Stopped", At.AddSeconds(-1), 4));
        Assert.False(line.Take(StatusJson.Write(Status("Stopped", 5)), "Stopped", At.AddSeconds(2), 5, onlyIfUnknown: true));

        // The shorter document replaced the longer one whole: nothing of the longer one is left after it.
        Assert.Equal(JsonSerializer.Serialize(Status("Paused", 20), Options), Text(line));
        Assert.Equal(("Paused", 3L, At.AddSeconds(1)), (line.State, line.Version, line.At));
    }

    [Fact]
    public void Publishing_a_status_into_its_line_allocates_nothing_per_status()
    {
        var line = new StatusLine(At, 0);
        var statuses = Enumerable.Range(0, 1000).Select(i => Status(i % 2 == 0 ? "Running" : "Paused", i)).ToArray();
        line.Take(StatusJson.Write(statuses[0]), "Running", At, 0); // warm-up: the thread's buffer and the type's metadata

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < statuses.Length; i++)
        {
            line.Take(StatusJson.Write(statuses[i]), statuses[i].State, At.AddSeconds(i), i);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A document per status (or a buffer per line each time) would be ~400 bytes a status.
        Assert.True(allocated < statuses.Length * 16, $"{allocated} bytes allocated for {statuses.Length} statuses");
        Assert.Equal(JsonSerializer.Serialize(statuses[^1], Options), Text(line));
    }
}
