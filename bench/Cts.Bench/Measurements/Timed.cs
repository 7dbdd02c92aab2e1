using System.Diagnostics;

namespace Cts.Bench.Measurements;

/// <summary>Small timing helpers shared by the measurements.</summary>
public static class Timed
{
    /// <summary>Runs <paramref name="action"/> for each item, at most <paramref name="parallelism"/> at a time; returns the wall time and the failures.</summary>
    public static async Task<(TimeSpan Elapsed, IReadOnlyList<Exception> Failures)> ForEachAsync<T>(
        IEnumerable<T> items, int parallelism, Func<T, Task> action)
    {
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, _) =>
        {
            try
            {
                await action(item);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException)
            {
                failures.Enqueue(e);
            }
        });
        return (clock.Elapsed, failures.ToArray());
    }

    /// <summary>Milliseconds <paramref name="action"/> took.</summary>
    public static async Task<double> OnceAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>Milliseconds of each call of <paramref name="action"/>, one at a time.</summary>
    public static async Task<List<double>> EachAsync<T>(IEnumerable<T> items, Func<T, Task> action)
    {
        var samples = new List<double>();
        foreach (var item in items)
        {
            samples.Add(await OnceAsync(() => action(item)));
        }
        return samples;
    }
}
