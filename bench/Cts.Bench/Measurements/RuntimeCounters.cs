namespace Cts.Bench.Measurements;

/// <summary>
/// The host's garbage collector over a window, from the .NET runtime's own meter (<c>System.Runtime</c>) on
/// <c>/metrics</c>: bytes allocated (<c>dotnet.gc.heap.total_allocated</c>) and time paused (<c>dotnet.gc.pause.time</c>).
/// </summary>
public sealed record RuntimeCounters(double AllocatedMegabytesPerSecond, double GcPauseShare, double Collections)
{
    public const string Allocated = "dotnet_gc_heap_total_allocated_bytes_total";
    public const string Paused = "dotnet_gc_pause_time_seconds_total";
    public const string Collected = "dotnet_gc_collections_total";

    public static RuntimeCounters Between(Prometheus before, Prometheus after, TimeSpan window)
    {
        var allocated = after.Sum(Allocated) - before.Sum(Allocated);
        var paused = after.Sum(Paused) - before.Sum(Paused);
        var collections = after.Sum(Collected) - before.Sum(Collected);
        return new RuntimeCounters(allocated / 1024 / 1024 / window.TotalSeconds, paused / window.TotalSeconds, collections);
    }

    /// <summary>Whether the host exports the runtime meter at all (an older host does not).</summary>
    public static bool Exported(Prometheus scrape) => scrape.Has(Allocated);
}
