using System.Text;
using System.Text.Json;
using Cts.Functions.Api;
using Cts.Functions.Engines;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Cts.Functions.Tests.Api;

/// <summary>
/// The status-all body written from the board's ready documents straight into the response: byte for byte what
/// serializing each status with the API's options and the page around them writes, streamed to the client in bounded
/// pieces rather than assembled whole, and without allocating per document.
/// </summary>
public sealed class EngineListResultTests
{
    private static readonly DateTimeOffset AsOf = new DateTimeOffset(2026, 12, 1, 23, 45, 6, 789, TimeSpan.Zero).AddTicks(1234);

    private static readonly JsonSerializerOptions Options = ApiJsonOptions.Response;

    /// <summary>Statuses as the board keeps them: as the engines built them.</summary>
    private static EngineStatus[] Statuses(int count) =>
        Enumerable.Range(0, count).Select(i => new EngineStatus
        {
            ConnectionId = $"engine-{i:D5}",
            State = i % 3 == 0 ? "Running" : "Stopped",
            AllowedActions = ["pause", "stop", "restart"],
            RestartReason = i % 7 == 0 ? "credentials changed — \"quoted\" <tag> é" : null,
            RestartRequired = i % 7 == 0,
            Since = i % 2 == 0 ? AsOf.AddMinutes(-i) : null,
            ConfigVersion = i,
            ConnectionVersion = i + 1,
            LastError = i % 6 == 0 ? new EngineError("exchange", "rate limited: 429 — retry after 2 s", AsOf.AddSeconds(-1)) : null,
            Retry = i % 6 == 0 ? new RetrySchedule(2, 5, i % 12 == 0 ? AsOf.AddSeconds(30) : null) : null,
            Escalated = i % 11 == 0,
            Degraded = i % 9 == 0 ? "storage" : null,
            Processors = new Dictionary<string, ProcessorHealthView>
            {
                ["realtime"] = new()
                {
                    IntervalMs = 1000, Runs = i * 10, Successes = i * 9, Failures = i, SuccessRate = 0.9, ConsecutiveFailures = i % 3,
                    LastLatencyMs = i % 2 == 0 ? 1.234 : null, P95LatencyMs = 4.5, LastRunAt = AsOf.AddSeconds(-i % 5),
                    LastSuccessAt = AsOf.AddSeconds(-2), LastError = i % 5 == 0 ? "timed out after 5 s" : null,
                },
                ["strategies"] = new() { IntervalMs = 5000, Runs = i },
            },
            OpenPositions = i % 4,
            RealizedPnl = i * 1.25m,
            UnrealizedPnl = -i * 0.00000001m,
            UpdatedAt = AsOf.AddSeconds(-i),
        }).ToArray();

    /// <summary>Each status serialized on its own with the API's options, as <c>GET /api/engines/{id}</c> writes it.</summary>
    private static byte[][] Documents(IEnumerable<EngineStatus> statuses) =>
        statuses.Select(s => JsonSerializer.SerializeToUtf8Bytes(s, Options)).ToArray();

    /// <summary>The same page written the way System.Text.Json writes <see cref="EngineList"/>'s shape.</summary>
    private static byte[] Reference(IReadOnlyList<byte[]> documents, string? continuationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("engines");
            foreach (var document in documents)
            {
                writer.WriteRawValue(document);
            }
            writer.WriteEndArray();
            writer.WriteNumber("count", documents.Count);
            writer.WriteString("asOf", AsOf);
            if (continuationToken is null)
            {
                writer.WriteNull("continuationToken");
            }
            else
            {
                writer.WriteString("continuationToken", continuationToken);
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The board's lines for <paramref name="statuses"/>: each status serialized once, as it arrives.</summary>
    private static StatusLine[] Lines(IEnumerable<EngineStatus> statuses)
    {
        return statuses.Select((s, i) =>
        {
            var line = new StatusLine(AsOf, i);
            Assert.True(line.Take(StatusJson.Write(s), s.State, AsOf, i));
            return line;
        }).ToArray();
    }

    private static async Task<RecordingStream> WriteAsync(IReadOnlyList<EngineStatus> statuses, string? continuationToken)
    {
        var body = new RecordingStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        await new EngineListResult(Lines(statuses), Options, AsOf, continuationToken).ExecuteAsync(context);
        await context.Response.CompleteAsync();
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        return body;
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1, null)]
    [InlineData(3, "engine-00002")]
    [InlineData(40, "a \"token\" é")]
    public async Task The_body_is_byte_identical_to_the_serialized_page(int count, string? continuationToken)
    {
        var statuses = Statuses(count);

        var body = await WriteAsync(statuses, continuationToken);

        Assert.Equal(Encoding.UTF8.GetString(Reference(Documents(statuses), continuationToken)), Encoding.UTF8.GetString(body.Bytes));
        using var parsed = JsonDocument.Parse(body.Bytes);
        Assert.Equal(count, parsed.RootElement.GetProperty("engines").GetArrayLength());
    }

    [Fact]
    public async Task A_thousand_documents_reach_the_client_in_pieces_no_larger_than_the_serializer_buffer_and_one_document()
    {
        var statuses = Statuses(1000);
        var documents = Documents(statuses);
        var largest = documents.Max(d => d.Length);
        var piece = Options.DefaultBufferSize + largest + 1;

        var body = await WriteAsync(statuses, "engine-00999");

        Assert.Equal(Reference(documents, "engine-00999"), body.Bytes);
        var total = body.Bytes.Length;
        Assert.True(total > 16 * Options.DefaultBufferSize, $"the page is {total} bytes");
        Assert.True(body.Writes >= total / piece, $"{body.Writes} writes for {total} bytes");
        Assert.True(body.LargestWrite <= piece, $"a write of {body.LargestWrite} bytes: the body was assembled instead of streamed");
    }

    [Fact]
    public async Task Writing_a_page_allocates_nothing_that_grows_with_its_documents()
    {
        var statuses = Statuses(1000);
        var pageBytes = Documents(statuses).Sum(d => (long)d.Length);
        var lines = Lines(statuses);

        async Task<long> AllocatedAsync()
        {
            var context = new DefaultHttpContext();
            context.Response.Body = Stream.Null;
            // Over a body that completes at once, the whole write runs synchronously on this thread.
            var before = GC.GetAllocatedBytesForCurrentThread();
            await new EngineListResult(lines, Options, AsOf, null).ExecuteAsync(context);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        await AllocatedAsync(); // warm-up: first-call costs are not per request

        var allocated = await AllocatedAsync();

        // Serializing each document on its own, or buffering the page, would allocate at least its size.
        Assert.True(allocated < pageBytes / 20, $"{allocated} bytes allocated for a {pageBytes}-byte page");
    }

    /// <summary>A response body that keeps what it is given and how it was given.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        private readonly List<int> _writes = [];

        public byte[] Bytes => ToArray();
        public int Writes => _writes.Count;
        public int LargestWrite => _writes.Count == 0 ? 0 : _writes.Max();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _writes.Add(count);
            base.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _writes.Add(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _writes.Add(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }
    }
}
