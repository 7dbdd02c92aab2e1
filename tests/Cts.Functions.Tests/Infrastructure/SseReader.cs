using System.Text.Json.Nodes;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>Reads a text/event-stream response event by event.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    public sealed record Event(long Id, string Type, JsonNode Data);

    /// <summary>The next event (comments and the retry hint skipped); fails past <paramref name="deadline"/>.</summary>
    public async Task<Event> NextAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        long id = 0;
        string? type = null, data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the event stream ended");
            if (line.Length == 0)
            {
                if (type is not null && data is not null)
                {
                    return new Event(id, type, JsonNode.Parse(data)!);
                }
                continue;
            }
            if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..]);
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
        }
    }

    /// <summary>Events until one matches <paramref name="stop"/>, that one included.</summary>
    public async Task<List<Event>> UntilAsync(Func<Event, bool> stop, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        var seen = new List<Event>();
        while (true)
        {
            var next = await NextAsync(until - DateTime.UtcNow);
            seen.Add(next);
            if (stop(next))
            {
                return seen;
            }
        }
    }

    public void Dispose() => _reader.Dispose();
}
