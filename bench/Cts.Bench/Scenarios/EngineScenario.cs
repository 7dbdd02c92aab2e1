using System.Diagnostics;
using Cts.Bench.Measurements;

namespace Cts.Bench.Scenarios;

/// <summary>
/// One measured run at N engines (issue #7's figures with issue #14's targets): start latency, bulk start against the
/// storage-bound rate, steady-state cycle lag, CPU, RSS, allocation and GC, storage writes, start and stop under
/// load, status-all, and recovery after <c>kill -9</c> against its floor measured in the same run.
/// </summary>
public static class EngineScenario
{
    public const string LagPrefix = "cycle lag p99, ";
    public const string TotalCycles = "cycles per second, all processors";
    public const string StatusAll = "status-all, whole listing p99";
    public const string RecoveryRatio = "recovery ÷ its floor";
    public const string BulkRatio = "bulk start ÷ storage-bound rate (its floor: the same reads and writes, Azurite alone)";
    public const string Rss = "host RSS (peak in the window)";

    /// <summary>
    /// The host's allocation split into what its storage writes cost inside the storage SDK (the writes the host counted
    /// in the window × the SDK's allocation per write, measured in the same run) and the rest: where the bound is.
    /// </summary>
    private static void AddAllocationSplit(RunResult result, double totalMegabytesPerSecond, SteadyState.Result steady, SdkWriteAllocation.Result sdk)
    {
        var seconds = steady.Window.TotalSeconds;
        var transactions = steady.WritesByTable.GetValueOrDefault("batch") / seconds;
        var singles = steady.Writes / seconds - transactions;
        var sdkRate = (transactions * sdk.BytesPerTransaction + singles * sdk.BytesPerSingleWrite) / 1e6;
        result.Add(new Figure(AllocationInSdkWrites, sdkRate,
            $"{sdkRate:0.0} MB/s: {transactions:0} transactions/s × {sdk.BytesPerTransaction / 1024:0} KB + {singles:0} single writes/s × "
            + $"{sdk.BytesPerSingleWrite / 1024:0.0} KB (per write: {sdk.ActionsPerTransaction}-row transactions and single upserts, measured in this run)"));
        var rest = totalMegabytesPerSecond - sdkRate;
        result.Add(new Figure(AllocationOutsideSdkWrites, rest, $"{rest:0.0} MB/s"));
    }

    public const string AllocationInSdkWrites = "of which the storage SDK's writes (estimated, not a target)";
    public const string AllocationOutsideSdkWrites = "host allocation outside the storage SDK's writes (not a target: where the bound is)";

    public static async Task<RunResult> RunAsync(BenchOptions options, string root, string dll, Action<string> step)
    {
        var result = new RunResult();
        const int WarmUp = BenchOptions.WarmUpStarts;
        CtsSession? session = null;
        try
        {
            session = await CtsSession.StartAsync(root, dll, options.Engines, options.Symbols, options.Parallelism, step);
            var (api, ids, azurite, host) = (session.Api, session.Ids, session.Azurite, session.Host);
            result.Add(new Figure("setup, not a target: create (import) + enable", double.NaN,
                $"{session.Created.TotalSeconds:0.0} s + {session.Enabled.TotalSeconds:0.0} s ({options.Engines / session.Enabled.TotalSeconds:0} enables/s)"));

            step($"single start at idle: {options.IdleStarts} engines one at a time, after {WarmUp} not measured (first calls compile code)");
            await Timed.EachAsync(ids.Take(WarmUp), api.StartAsync);
            var beforeIdle = Prometheus.Parse(await api.MetricsAsync());
            var idle = Percentiles.Of(await Timed.EachAsync(ids.Skip(WarmUp).Take(options.IdleStarts), api.StartAsync));
            var writesPerIdleStart = (Prometheus.Parse(await api.MetricsAsync()).Sum("cts_storage_writes_total") - beforeIdle.Sum("cts_storage_writes_total"))
                / options.IdleStarts;
            result.Add(new Figure("single start at idle, p50 / p95 / p99", idle.P99, idle.ToString(), Target.Below(50, "p99 < 50 ms")));
            var template = await RawWrites.EngineRowAsync(azurite.ConnectionString, ids[0]);
            await Timed.ForEachAsync(ids.Take(WarmUp + options.IdleStarts), options.Parallelism, api.StopAsync);

            step($"Azurite raw write rate ({options.RawWriteDuration.TotalSeconds:0} s, {options.RawWriteConcurrency} concurrent upserts)");
            var raw = await RawWrites.MeasureAsync(azurite.ConnectionString, template, options.RawWriteDuration, options.RawWriteConcurrency);
            result.Add(new Figure("Azurite raw write rate (engine-state-sized upserts)", raw.WritesPerSecond,
                $"{raw.WritesPerSecond:0} writes/s ({raw.EntityBytes} B entity, {raw.Concurrency} concurrent)"));

            var sdkWrites = await SdkWriteAllocation.MeasureAsync(azurite.ConnectionString, template);

            // What a start asks of storage (its three reads and its writes), served by Azurite alone at the host's
            // concurrency, before the bulk start and with no engine running: the bulk start's floor.
            var startWrites = Math.Max(1, (int)Math.Round(writesPerIdleStart));
            step($"bulk start floor: Azurite alone serving {ids.Length:N0} starts' reads (3 each) and {startWrites} writes each at concurrency {RecoveryFloor.HostConcurrency}");
            var startFloor = await RecoveryFloor.MeasureAsync(azurite.ConnectionString, ids, template, startWrites);

            step($"bulk start of all {options.Engines:N0} engines, {options.Parallelism} at a time");
            var beforeBulk = Prometheus.Parse(await api.MetricsAsync());
            var bulk = await session.StartAllAsync(options.Parallelism);
            Fail(result, bulk.Failures, "bulk start");
            var afterBulk = Prometheus.Parse(await api.MetricsAsync());
            var bulkRate = options.Engines / bulk.Elapsed.TotalSeconds;
            var writesPerStart = (afterBulk.Sum("cts_storage_writes_total") - beforeBulk.Sum("cts_storage_writes_total")) / options.Engines;
            var writesOnlyBound = raw.WritesPerSecond / writesPerStart;
            var storageBound = options.Engines / startFloor.Elapsed.TotalSeconds;
            result.Add(new Figure("storage writes per start (counted by the host)", writesPerStart, $"{writesPerStart:0.00}"));
            result.Add(new Figure("bulk start throughput", bulkRate, $"{bulkRate:0} engines/s ({bulk.Elapsed.TotalSeconds:0.0} s)"));
            result.Add(new Figure("bulk start floor (same run)", startFloor.Elapsed.TotalSeconds,
                $"{startFloor.Elapsed.TotalSeconds:0.0} s for {options.Engines:N0} starts ({startFloor.ReadsPerEngine} reads + {startFloor.WritesPerEngine} writes each, "
                + $"{RecoveryFloor.HostConcurrency} concurrent" + (startFloor.Failures > 0 ? $", {startFloor.Failures} failed" : "") + $"): {storageBound:0} starts/s"));
            result.Add(new Figure(BulkRatio, bulkRate / storageBound, $"{bulkRate / storageBound:P0} of {storageBound:0} engines/s",
                Target.AtLeast(0.70, "≥ 70 %")));
            result.Add(new Figure("bulk start ÷ writes-only bound (not a target: raw writes/s ÷ writes per start)", bulkRate / writesOnlyBound,
                $"{bulkRate / writesOnlyBound:P0} of {writesOnlyBound:0} engines/s"));

            var running = (await api.ListAllAsync()).Count(e => e.State == "Running");
            if (running != options.Engines)
            {
                result.Note($"Only {running} of {options.Engines} engines were Running after the bulk start.");
            }
            var settle = TimeSpan.FromSeconds(6);
            step($"{running:N0} engines running; settling {settle.TotalSeconds:0} s (every timer ticks once), then a {options.Window.TotalSeconds:0} s window");
            await Task.Delay(settle);
            var steady = await SteadyState.MeasureAsync(api, host.Pid, options.Window);
            foreach (var processor in SteadyState.Processors)
            {
                var lag = steady.Lag[processor];
                // A p99 past the histogram's last bucket is worse than any measured one (the worst of the runs), not missing.
                var p99 = lag.Count == 0 ? double.NaN : lag.Overflow ? double.PositiveInfinity : lag.P99;
                result.Add(new Figure($"{LagPrefix}{processor} (p50 / p95 / p99)", p99,
                    $"{lag} ({steady.CyclesPerSecond[processor]:0}/s)", Target.Below(50, "p99 < 50 ms")));
            }
            result.Add(new Figure(TotalCycles, steady.TotalCyclesPerSecond, $"{steady.TotalCyclesPerSecond:0}/s"));
            result.Add(new Figure("host CPU over the window", steady.CpuCores, $"{steady.CpuCores:0.00} cores of {Environment.ProcessorCount}"));
            result.Add(new Figure(Rss, steady.PeakRssBytes / 1024.0 / 1024.0, $"{steady.PeakRssBytes / 1024.0 / 1024.0:0} MiB",
                Target.Below(1024, "< 1 GiB")));
            if (steady.Runtime is { } gc)
            {
                result.Add(new Figure("host allocation rate", gc.AllocatedMegabytesPerSecond, $"{gc.AllocatedMegabytesPerSecond:0.0} MB/s",
                    Target.AtMost(15, "≤ 15 MB/s")));
                AddAllocationSplit(result, gc.AllocatedMegabytesPerSecond, steady, sdkWrites);
                result.Add(new Figure("host time paused in GC", gc.GcPauseShare, $"{gc.GcPauseShare:P1} ({gc.Collections:0} collections)",
                    Target.AtMost(0.05, "≤ 5 %")));
            }
            else
            {
                result.Note("The host does not export the runtime meter (System.Runtime): no allocation or GC figures.");
            }
            var perEngineSecond = steady.Writes / (running * steady.Window.TotalSeconds);
            result.Add(new Figure("storage writes per engine-second", perEngineSecond, $"{perEngineSecond:0.000} ({steady.Writes:0} writes)",
                Target.AtMost(0.2, "≤ 0.2")));
            result.Note("Storage writes in the window by table: "
                + string.Join(", ", steady.WritesByTable.OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value:0}")) + ".");

            var sample = Enumerable.Range(0, options.LoadedStarts)
                .Select(i => ids[options.IdleStarts + i * (options.Engines - options.IdleStarts) / options.LoadedStarts]).ToArray();
            step($"single start under load: stop + start {sample.Length} engines one at a time");
            var (loadedStops, loadedStarts) = (new List<double>(), new List<double>());
            foreach (var id in sample)
            {
                loadedStops.Add(await Timed.OnceAsync(() => api.StopAsync(id)));
                loadedStarts.Add(await Timed.OnceAsync(() => api.StartAsync(id)));
            }
            var starts = Percentiles.Of(loadedStarts);
            var stops = Percentiles.Of(loadedStops);
            result.Add(new Figure($"single start with {running:N0} running, p50 / p95 / p99", starts.P99, starts.ToString()));
            result.Add(new Figure($"single stop with {running:N0} running, p50 / p95 / p99", stops.P99, stops.ToString()));

            step($"status-all of {options.Engines:N0} engines (pages of {CtsApi.MaxTop}), {options.StatusAllRepeats} times, {options.StatusAllSpacing.TotalSeconds:0.#} s apart");
            var listings = new List<double>();
            var slowest = (Ms: 0.0, At: 0, Pages: new List<(double HeadersMs, double BodyMs)>());
            for (var i = 0; i < options.StatusAllRepeats; i++)
            {
                // A second apart, like operators' pages polling: every running engine's health changed since the last one.
                await Task.Delay(options.StatusAllSpacing);
                var pages = new List<(double HeadersMs, double BodyMs)>();
                var clock = Stopwatch.StartNew();
                var count = (await api.ListAllAsync(pages)).Count;
                listings.Add(clock.Elapsed.TotalMilliseconds);
                if (listings[^1] > slowest.Ms)
                {
                    slowest = (listings[^1], i + 1, pages);
                }
                if (count != options.Engines)
                {
                    result.Note($"status-all listed {count} engines, not {options.Engines}.");
                }
            }
            var statusAll = Percentiles.Of(listings);
            result.Note($"Slowest status-all listing (number {slowest.At} of {listings.Count}, {slowest.Ms:0} ms), each page's time to its "
                + "response headers + time to the end of its body: "
                + string.Join(", ", slowest.Pages.Select(p => $"{p.HeadersMs:0} + {p.BodyMs:0}")) + " ms.");
            result.Add(new Figure($"{StatusAll} ({options.StatusAllRepeats}, {options.StatusAllSpacing.TotalSeconds:0.#} s apart), p50 / p95 / p99",
                statusAll.P99, statusAll.ToString(), Target.AtMost(100, "p99 ≤ 100 ms")));

            step($"recovery: kill -9 the host (pid {host.Pid}) with {options.Engines:N0} running, relaunch, wait for all Running and cycling");
            var recovery = await Recovery.MeasureAsync(host, session.Http, api, options.Engines, options.RecoveryDeadline);
            var recoveryWrites = Prometheus.Parse(await api.MetricsAsync()).Sum("cts_storage_writes_total") / options.Engines;
            result.Add(new Figure("recovery after kill -9: all Running with advancing cycles", recovery.AllAdvancing?.TotalSeconds ?? double.NaN,
                recovery.AllAdvancing is { } all
                    ? $"{all.TotalSeconds:0.0} s (host ready {recovery.Ready?.TotalSeconds:0.0} s, all Running {recovery.AllRunning?.TotalSeconds:0.0} s)"
                    : $"not within {options.RecoveryDeadline.TotalSeconds:0} s ({recovery.Advancing} of {recovery.Engines} advancing)"));

            var writes = Math.Max(1, (int)Math.Round(recoveryWrites));
            // Azurite alone: the host goes first (it is not used after this), or the floor would be measured against
            // ten thousand running engines' own writes and trades.
            host.Kill();
            step($"recovery floor (host stopped): Azurite alone serving {options.Engines:N0} engines' recovery reads (3 each) and {writes} writes each at concurrency {RecoveryFloor.HostConcurrency}");
            var floor = await RecoveryFloor.MeasureAsync(azurite.ConnectionString, ids, template, writes);
            result.Add(new Figure("recovery floor (same run)", floor.Elapsed.TotalSeconds,
                $"{floor.Elapsed.TotalSeconds:0.0} s ({floor.ReadsPerEngine} reads + {floor.WritesPerEngine} writes per engine, {RecoveryFloor.HostConcurrency} concurrent"
                + (floor.Failures > 0 ? $", {floor.Failures} failed" : "") + ")"));
            // The floor is storage work only, so it is compared with recovery from the moment the new process is ready
            // (the process start before that is the runtime's, not storage's); the total from the kill is shown beside it.
            var ratio = recovery.AllAdvancing is { } total && recovery.Ready is { } ready
                ? (total - ready).TotalSeconds / floor.Elapsed.TotalSeconds
                : double.NaN;
            result.Add(new Figure(RecoveryRatio, ratio,
                double.IsNaN(ratio) ? "—" : $"{ratio:0.00}× (from host ready; {recovery.AllAdvancing!.Value.TotalSeconds / floor.Elapsed.TotalSeconds:0.00}× from the kill)",
                Target.AtMost(1.5, "≤ 1.5×")));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"run failed: {e.Message}{Environment.NewLine}--- host ({session?.Host.Condition}) output (tail) ---{Environment.NewLine}{session?.Host.OutputTail}");
            result.Note($"The run stopped early: {e.GetType().Name}: {e.Message.Split('\n')[0]} (host {session?.Host.Condition ?? "not started"}).");
            result.StoppedEarly = true;
        }
        finally
        {
            session?.Dispose();
        }
        return result;
    }

    private static void Fail(RunResult result, IReadOnlyList<Exception> failures, string phase)
    {
        if (failures.Count > 0)
        {
            result.Note($"{failures.Count} failures during {phase}, first: {failures[0].Message.Split('\n')[0]}");
        }
    }
}
