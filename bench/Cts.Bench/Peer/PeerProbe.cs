using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cts.Bench.Peer;

/// <summary>
/// What the peer's cycles (activities) report while a window is open: how many ran and how late each started after it
/// was due (signed: a negative value is a cycle that ran early, e.g. a queue visibility delay rounded down). In-process,
/// because the peer's worker runs inside the bench.
/// </summary>
public static class PeerProbe
{
    private static readonly ConcurrentQueue<double> Lateness = new();
    private static long _cycles;
    private static volatile bool _open;

    public static void CycleRan(TimeSpan late)
    {
        if (_open)
        {
            Interlocked.Increment(ref _cycles);
            Lateness.Enqueue(late.TotalMilliseconds);
        }
    }

    /// <summary>Collects for <paramref name="window"/> and returns the cycles run per second and their lateness.</summary>
    public static async Task<(double CyclesPerSecond, Percentiles Lateness)> MeasureAsync(TimeSpan window)
    {
        Lateness.Clear();
        Interlocked.Exchange(ref _cycles, 0);
        var clock = Stopwatch.StartNew();
        _open = true;
        await Task.Delay(window);
        _open = false;
        var elapsed = clock.Elapsed;
        return (Interlocked.Read(ref _cycles) / elapsed.TotalSeconds, Percentiles.Of(Lateness.ToArray()));
    }
}
