using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>One log entry the host wrote, as text: what a log sink would have received.</summary>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception's full text (type, message, stack, inner exceptions), if any.</param>
/// <param name="State">The structured values (<c>{OriginalFormat}</c> included), each rendered with the invariant culture.</param>
public sealed record CapturedLog(
    DateTimeOffset At,
    LogLevel Level,
    string Category,
    EventId EventId,
    string Message,
    string? Exception,
    IReadOnlyList<KeyValuePair<string, string?>> State)
{
    /// <summary>Everything a sink could persist of this entry, for "never appears in the log" assertions.</summary>
    public string AllText => string.Join('\n',
        new[] { Category, EventId.Name, Message, Exception }.Concat(State.Select(s => $"{s.Key}={s.Value}")).Where(s => s is not null));

    public override string ToString() => $"{At:HH:mm:ss.fff} {Level} {Category}: {Message}{(Exception is null ? "" : " | " + Exception)}";
}

/// <summary>
/// An <see cref="ILoggerProvider"/> that keeps every entry the host logs at or above <see cref="MinimumLevel"/>
/// (independently of the host's own <c>Logging:LogLevel</c> filters), so tests can assert what was and was not logged.
/// </summary>
/// <remarks>
/// Registered by <see cref="CtsAppFactory"/> for every in-process host; read it through <see cref="CtsAppFactory.Logs"/>.
/// </remarks>
public sealed class LogCapture(LogLevel minimumLevel = LogLevel.Debug) : ILoggerProvider
{
    private const int MaxEntries = 200_000;

    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public LogLevel MinimumLevel { get; } = minimumLevel;

    /// <summary>A snapshot of the entries so far, oldest first.</summary>
    public IReadOnlyList<CapturedLog> Entries => _entries.ToArray();

    /// <summary>The entries whose message, exception text or any structured value contains <paramref name="text"/> (ordinal).</summary>
    public IReadOnlyList<CapturedLog> Containing(string text) =>
        _entries.Where(e => e.AllText.Contains(text, StringComparison.Ordinal)).ToList();

    public bool Contains(string text) => Containing(text).Count > 0;

    /// <summary>The last <paramref name="count"/> entries as lines, for failure messages.</summary>
    public string Tail(int count = 50) => string.Join(Environment.NewLine, _entries.ToArray().TakeLast(count));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(CapturedLog entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > MaxEntries && _entries.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(LogCapture sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= sink.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => new KeyValuePair<string, string?>(p.Key, Render(p.Value))).ToList()
                : [new KeyValuePair<string, string?>("State", Render(state))];
            sink.Add(new CapturedLog(DateTimeOffset.UtcNow, logLevel, category, eventId, formatter(state, exception), exception?.ToString(), values));
        }

        private static string? Render(object? value) => value switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Render)) + "]",
            _ => value.ToString(),
        };
    }
}
