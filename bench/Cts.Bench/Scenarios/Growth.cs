using System.Globalization;
using Cts.Bench.Measurements;

namespace Cts.Bench.Scenarios;

/// <summary>
/// How cost grows with the number of engines: at each N a fresh Azurite and host, every engine started, then one
/// steady-state window: CPU, RSS, cycle lag and allocation. Written as a table, a CSV and an SVG chart.
/// </summary>
public static class Growth
{
    public sealed record Point(int Engines, double CpuCores, double RssMiB, double LagP99, double AllocatedMBps, double CyclesPerSecond);

    public static async Task RunAsync(Report report, BenchOptions options, string root, string dll, Action<string> step)
    {
        var points = new List<Point>();
        var notes = new List<string>();
        foreach (var engines in options.Growth!)
        {
            step($"=== growth: {engines:N0} engines ===");
            CtsSession? session = null;
            try
            {
                session = await CtsSession.StartAsync(root, dll, engines, options.Symbols, options.Parallelism, step);
                var bulk = await session.StartAllAsync(options.Parallelism);
                if (bulk.Failures.Count > 0)
                {
                    notes.Add($"N = {engines}: {bulk.Failures.Count} starts failed, first: {bulk.Failures[0].Message.Split('\n')[0]}");
                }
                await Task.Delay(TimeSpan.FromSeconds(6));
                var steady = await SteadyState.MeasureAsync(session.Api, session.Host.Pid, options.GrowthWindow);
                points.Add(new Point(engines, steady.CpuCores, steady.PeakRssBytes / 1024.0 / 1024.0, steady.WorstLagP99,
                    steady.Runtime?.AllocatedMegabytesPerSecond ?? double.NaN, steady.TotalCyclesPerSecond));
                Console.WriteLine($"  N = {engines}: {points[^1]}");
                Console.WriteLine($"  N = {engines}: {steady.Diagnostics()}; GC {steady.Runtime?.GcPauseShare:P1}, {steady.Runtime?.Collections:0} collections");
            }
            catch (Exception e)
            {
                notes.Add($"N = {engines} stopped early: {e.GetType().Name}: {e.Message.Split('\n')[0]} (host {session?.Host.Condition ?? "not started"}).");
            }
            finally
            {
                session?.Dispose();
            }
        }
        var results = Path.Combine(root, "bench", "results");
        await File.WriteAllTextAsync(Path.Combine(results, "growth.csv"), Csv(points));
        await File.WriteAllTextAsync(Path.Combine(results, "growth.svg"), GrowthChart.Svg(points));
        report.AddTable("How cost grows with N",
            $"Each N on a fresh Azurite and host, all engines started, a {options.GrowthWindow.TotalSeconds:0} s window; each engine on two of {options.Symbols} paper symbols. "
            + "Chart: [`growth.svg`](growth.svg) (data: [`growth.csv`](growth.csv)).\n\n![CPU, RSS and cycle lag by number of engines](growth.svg)",
            ["engines", "CPU (cores)", "RSS (MiB)", "RSS per engine (KiB)", "cycle lag p99 (worst processor)", "allocation (MB/s)", "cycles/s"],
            points.Select(p => new[]
            {
                p.Engines.ToString("N0", CultureInfo.InvariantCulture), $"{p.CpuCores:0.00}", $"{p.RssMiB:0}", $"{p.RssMiB * 1024 / p.Engines:0.0}",
                double.IsNaN(p.LagP99) ? "—" : $"{p.LagP99:0} ms", double.IsNaN(p.AllocatedMBps) ? "—" : $"{p.AllocatedMBps:0.0}", $"{p.CyclesPerSecond:0}",
            }),
            notes);
    }

    private static string Csv(IEnumerable<Point> points) =>
        "engines,cpu_cores,rss_mib,lag_p99_ms,allocated_mb_per_s,cycles_per_s\n"
        + string.Concat(points.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Engines},{p.CpuCores:0.000},{p.RssMiB:0.0},{p.LagP99:0.0},{p.AllocatedMBps:0.0},{p.CyclesPerSecond:0}\n")));
}
