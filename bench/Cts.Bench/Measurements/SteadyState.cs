using System.Diagnostics;
using Cts.Bench.Processes;

namespace Cts.Bench.Measurements;

/// <summary>
/// N engines running, measured over one window between two scrapes of <c>/metrics</c>: cycle lag per processor (from
/// <c>cts_cycle_lag_milliseconds</c>), cycles run, storage writes (<c>cts_storage_writes_total</c>), and the host's
/// CPU (from <c>/proc/{pid}/stat</c>), resident memory (sampled every second, the peak), and its allocation rate and
/// time in GC (<see cref="RuntimeCounters"/>; null when the host does not export them).
/// </summary>
public static class SteadyState
{
    public static readonly string[] Processors = ["indications", "strategies", "realtime"];

    public sealed record Result(
        TimeSpan Window,
        IReadOnlyDictionary<string, Percentiles> Lag,
        IReadOnlyDictionary<string, double> CyclesPerSecond,
        double CpuCores,
        long PeakRssBytes,
        double Writes,
        IReadOnlyDictionary<string, double> WritesByTable,
        RuntimeCounters? Runtime,
        IReadOnlyDictionary<string, Percentiles> Duration,
        Percentiles StateWriteDuration)
    {
        /// <summary>What explains the lag, for the log: cycle durations, state-write durations and writes by table.</summary>
        public string Diagnostics() =>
            $"cycle duration {string.Join(", ", Duration.Select(d => $"{d.Key} {d.Value}"))}; state writes {StateWriteDuration}; "
            + $"writes by table {string.Join(", ", WritesByTable.Select(w => $"{w.Key} {w.Value:0}"))}";

        /// <summary>The worst p99 of the three processors' cycle lag (NaN when one has no samples or overflowed).</summary>
        public double WorstLagP99 => Lag.Values.Any(l => l.Count == 0 || l.Overflow) ? double.NaN : Lag.Values.Max(l => l.P99);

        /// <summary>Cycles per second of all processors together.</summary>
        public double TotalCyclesPerSecond => CyclesPerSecond.Values.Sum();
    }

    public static async Task<Result> MeasureAsync(CtsApi api, int hostPid, TimeSpan window)
    {
        var before = Prometheus.Parse(await api.MetricsAsync());
        var cpuBefore = ProcessStats.CpuTime(hostPid);
        var clock = Stopwatch.StartNew();
        long peakRss = 0;
        for (var remaining = window; remaining > TimeSpan.Zero; remaining = window - clock.Elapsed)
        {
            peakRss = Math.Max(peakRss, ProcessStats.ResidentBytes(hostPid));
            await Task.Delay(remaining < TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1));
        }
        var cpu = ProcessStats.CpuTime(hostPid) - cpuBefore;
        var elapsed = clock.Elapsed;
        var after = Prometheus.Parse(await api.MetricsAsync());
        peakRss = Math.Max(peakRss, ProcessStats.ResidentBytes(hostPid));

        var lag = Processors.ToDictionary(p => p, p => Prometheus.Between(before, after, "cts_cycle_lag_milliseconds", ("processor", p)));
        var cycles = Processors.ToDictionary(p => p, p => lag[p].Count / elapsed.TotalSeconds);
        var byTable = Prometheus.GrowthBy(before, after, "cts_storage_writes_total", "table");
        var runtime = RuntimeCounters.Exported(after) ? RuntimeCounters.Between(before, after, elapsed) : null;
        var duration = Processors.ToDictionary(p => p,
            p => Prometheus.Between(before, after, "cts_cycle_duration_milliseconds", ("processor", p), ("outcome", "success")));
        var stateWrites = Prometheus.Between(before, after, "cts_storage_write_duration_milliseconds");
        return new Result(elapsed, lag, cycles, cpu / elapsed, peakRss, byTable.Values.Sum(), byTable, runtime, duration, stateWrites);
    }
}
