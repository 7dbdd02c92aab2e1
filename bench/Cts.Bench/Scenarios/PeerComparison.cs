using Cts.Bench.Measurements;
using Cts.Bench.Peer;
using Cts.Bench.Processes;

namespace Cts.Bench.Scenarios;

/// <summary>
/// CTS next to the Durable Task Framework (<see cref="DurableTaskPeer"/>) at the same N with the same 5 s cycle, each
/// on its own fresh Azurite: cycles per second achieved against scheduled, and how late each cycle starts after it was
/// due, a period after the previous cycle completed (CTS: <c>cts_cycle_lag_milliseconds</c> of its 5 s indications
/// processor; the peer: when its cycle activity starts).
/// </summary>
public static class PeerComparison
{
    public static readonly TimeSpan Cycle = TimeSpan.FromSeconds(5);

    public sealed record Row(string System, int Engines, double Scheduled, double Achieved, Percentiles Lateness, string Detail);

    public static async Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, string root, string dll, Action<string> step)
    {
        var rows = new List<Row>();
        foreach (var engines in options.PeerEngines)
        {
            step($"=== peer comparison at {engines:N0} engines: CTS ===");
            rows.Add(await CtsAsync(options, root, dll, engines, step));
            step($"=== peer comparison at {engines:N0} engines: Durable Task Framework ===");
            rows.Add(await PeerAsync(options, root, engines));
            Console.WriteLine($"  {rows[^2]}{Environment.NewLine}  {rows[^1]}");
        }
        return rows;
    }

    public static void Report(Report report, BenchOptions options, IReadOnlyList<Row> rows, double? ctsAtScale)
    {
        var bestPeer = rows.Where(r => r.System != "CTS").Select(r => r.Achieved).DefaultIfEmpty(double.NaN).Max();
        var notes = new List<string>
        {
            "Peer settings that favour it: DurableTask.AzureStorage 2.11.2, partition count 1, extended sessions (30 s idle timeout), "
            + "MaxQueuePollingInterval 1 s, worker in the bench process; one eternal orchestration per engine, a durable timer per cycle set "
            + "from the orchestration's clock, one trivial activity per cycle, ContinueAsNew.",
            "CTS runs its real engines (all three processors); the row shows its 5 s indications processor, the same cadence as the peer's cycle.",
        };
        if (ctsAtScale is { } cts && !double.IsNaN(bestPeer) && bestPeer > 0)
        {
            var ratio = cts / bestPeer;
            notes.Add($"Capacity ratio: CTS sustained {cts:0} cycles/s at {options.Engines:N0} engines (all processors, worst run) ÷ the best the peer "
                + $"sustained at any N ({bestPeer:0.0}/s) = **{ratio:0}×** (target ≥ 100×: {(ratio >= 100 ? "met" : "**not met**")}).");
        }
        report.AddTable("CTS and the Durable Task Framework at the same N (5 s cycle)",
            $"Each row on its own fresh Azurite, a {options.PeerWindow.TotalSeconds:0} s window after two cycles of settling.",
            ["system", "engines", "scheduled cycles/s", "achieved cycles/s", "achieved ÷ scheduled", "cycle lag (start − due) p50 / p95 / p99", "notes"],
            rows.Select(r => new[]
            {
                r.System, r.Engines.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), $"{r.Scheduled:0.0}", $"{r.Achieved:0.0}",
                r.Scheduled > 0 ? $"{r.Achieved / r.Scheduled:P0}" : "—", r.Lateness.ToString(), r.Detail,
            }),
            notes);
    }

    private static async Task<Row> CtsAsync(BenchOptions options, string root, string dll, int engines, Action<string> step)
    {
        CtsSession? session = null;
        try
        {
            session = await CtsSession.StartAsync(root, dll, engines, options.Symbols, options.Parallelism, step);
            await session.StartAllAsync(options.Parallelism);
            await Task.Delay(Cycle * 2);
            var steady = await SteadyState.MeasureAsync(session.Api, session.Host.Pid, options.PeerWindow);
            return new Row("CTS", engines, engines / Cycle.TotalSeconds, steady.CyclesPerSecond["indications"], steady.Lag["indications"],
                $"all processors {steady.TotalCyclesPerSecond:0}/s, {steady.CpuCores:0.00} cores");
        }
        catch (Exception e)
        {
            return new Row("CTS", engines, engines / Cycle.TotalSeconds, double.NaN, Percentiles.Of([]), $"stopped early: {e.Message.Split('\n')[0]}");
        }
        finally
        {
            session?.Dispose();
        }
    }

    private static async Task<Row> PeerAsync(BenchOptions options, string root, int engines)
    {
        using var azurite = await AzuriteProcess.StartAsync(root, withQueue: true);
        var cpuBefore = ProcessStats.CpuTime(Environment.ProcessId);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await using var peer = await DurableTaskPeer.StartAsync(azurite.ConnectionString, "ctsbenchpeer");
            var result = await peer.RunAsync(engines, Cycle, options.PeerWindow, parallelism: 16);
            var cpu = (ProcessStats.CpuTime(Environment.ProcessId) - cpuBefore) / clock.Elapsed;
            return new Row("Durable Task Framework", engines, result.Scheduled, result.CyclesPerSecond, result.Lateness,
                $"creating the {engines:N0} instances took {result.StartAll.TotalSeconds:0.0} s; bench process {cpu:0.00} cores");
        }
        catch (Exception e)
        {
            return new Row("Durable Task Framework", engines, engines / Cycle.TotalSeconds, double.NaN, Percentiles.Of([]),
                $"stopped early: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }
}
