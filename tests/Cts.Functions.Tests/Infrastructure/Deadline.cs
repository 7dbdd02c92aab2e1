using System.Diagnostics;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// A point in time a test must not wait past, shared by several waits (e.g. "everything recovered within 15 s of
/// the relaunch"). Polling uses <see cref="Task.Delay(TimeSpan)"/>, never a blocking sleep.
/// </summary>
public sealed class Deadline
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    private readonly long _start;

    private Deadline(TimeSpan limit)
    {
        _start = Stopwatch.GetTimestamp();
        Limit = limit;
    }

    /// <summary>How long after its start the deadline passes.</summary>
    public TimeSpan Limit { get; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public TimeSpan Remaining => Limit - Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    public bool HasPassed => Elapsed >= Limit;

    /// <summary>A deadline <paramref name="limit"/> from now.</summary>
    public static Deadline In(TimeSpan limit) => new(limit);

    /// <summary>
    /// Calls <paramref name="probe"/> until <paramref name="isDone"/> accepts its result, and returns that result.
    /// A probe that throws (host not listening yet, storage row not written yet) counts as "not yet". Past the
    /// deadline, fails with <paramref name="what"/>, the last value or error, and <paramref name="diagnostics"/>
    /// (typically the tail of the host's output).
    /// </summary>
    public async Task<T> UntilAsync<T>(
        string what, Func<Task<T>> probe, Func<T, bool> isDone, Func<string> diagnostics, TimeSpan? interval = null)
    {
        var pause = interval ?? DefaultInterval;
        var attempts = 0;
        T? last = default;
        var haveLast = false;
        Exception? lastError = null;
        while (true)
        {
            attempts++;
            try
            {
                last = await probe().ConfigureAwait(false);
                haveLast = true;
                lastError = null;
                if (isDone(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lastError = e;
            }
            if (HasPassed)
            {
                var lastSeen = lastError is not null
                    ? $"last error: {lastError.GetType().Name}: {lastError.Message}"
                    : haveLast ? $"last value: {Describe(last)}" : "no value";
                throw new TimeoutException(
                    $"Timed out after {Elapsed.TotalSeconds:0.0} s (limit {Limit.TotalSeconds:0.#} s, {attempts} attempts) waiting until {what}; {lastSeen}."
                    + Environment.NewLine + diagnostics());
            }
            await Task.Delay(pause < Remaining ? pause : Remaining + TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; see <see cref="UntilAsync{T}"/>.</summary>
    public Task UntilAsync(string what, Func<bool> condition, Func<string> diagnostics, TimeSpan? interval = null) =>
        UntilAsync(what, () => Task.FromResult(condition()), done => done, diagnostics, interval);

    private static string Describe(object? value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        _ => value.ToString() ?? "",
    };
}
