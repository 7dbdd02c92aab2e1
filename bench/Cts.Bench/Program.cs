using System.Diagnostics;
using System.Globalization;
using Cts.Bench;
using Cts.Bench.Measurements;
using Cts.Bench.Processes;

// The issue #7 benchmark: Azurite and the real host (Release, its own process), N paper engines, every figure the
// issue asks for, printed as a markdown table and written to bench/results/latest.md.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("--backtest"))
{
    // Issue #15: backtest speed, in process (see Backtest/BacktestBench.cs); no host, no Azurite.
    Environment.ExitCode = await Cts.Bench.Backtest.BacktestBench.RunAsync(args, RepositoryRoot());
    return;
}
var options = BenchOptions.Parse(args);
const int WarmUp = BenchOptions.WarmUpStarts;
var root = RepositoryRoot();
var report = new Report(options);
var ids = Enumerable.Range(0, options.Engines).Select(CtsApi.EngineId).ToArray();

Step($"building the host (Release) for {options.Engines:N0} engines");
var dll = await HostProcess.BuildAsync(root);
var run = Stopwatch.StartNew();

using var azurite = await AzuriteProcess.StartAsync(root);
using var host = new HostProcess(dll, azurite.ConnectionString, HostProcess.SampleApiKeys(root));
// Ctrl+C or an unhandled error: the processes this program started are killed by PID, nothing else.
AppDomain.CurrentDomain.ProcessExit += (_, _) => { host.Dispose(); azurite.Dispose(); };
using var http = CtsApi.CreateClient(host.BaseAddress, options.Parallelism);
var api = new CtsApi(http);
try
{
    Step($"Azurite on table :{azurite.TablePort}, blob :{azurite.BlobPort} (pids {string.Join(", ", azurite.Pids)}); launching the host on :{host.HttpPort}");
    await host.LaunchAsync(http, TimeSpan.FromSeconds(90));

    Step($"creating {options.Engines:N0} paper connections (one by POST, the rest by import of {CtsApi.ImportBatch} a time), enabling them {options.Parallelism} at a time");
    var setup = Stopwatch.StartNew();
    await api.CreateConnectionAsync(ids[0]);
    await api.ImportCopiesAsync(ids[0], ids[1..], parallelism: 4);
    var created = setup.Elapsed;
    var enabled = await Timed.ForEachAsync(ids, options.Parallelism, api.EnableAsync);
    Fail(enabled.Failures, "enable");
    report.Add(new Row("setup, not a target: create (import) + enable",
        $"{created.TotalSeconds:0.0} s + {enabled.Elapsed.TotalSeconds:0.0} s ({options.Engines / enabled.Elapsed.TotalSeconds:0} enables/s)"));

    Step($"single start at idle: {options.IdleStarts} engines one at a time, after {WarmUp} not measured (first calls compile code)");
    await Timed.EachAsync(ids.Take(WarmUp), api.StartAsync);
    var idle = Percentiles.Of(await Timed.EachAsync(ids.Skip(WarmUp).Take(options.IdleStarts), api.StartAsync));
    report.Add(new Row("single start at idle, p50 / p95 / p99", idle.ToString(), "p99 < 50 ms", idle.P99 < 50));
    var template = await RawWrites.EngineRowAsync(azurite.ConnectionString, ids[0]);
    await Timed.ForEachAsync(ids.Take(WarmUp + options.IdleStarts), options.Parallelism, api.StopAsync);

    Step($"Azurite raw write rate ({options.RawWriteDuration.TotalSeconds:0} s, {options.RawWriteConcurrency} concurrent upserts)");
    var raw = await RawWrites.MeasureAsync(azurite.ConnectionString, template, options.RawWriteDuration, options.RawWriteConcurrency);
    report.Add(new Row("Azurite raw write rate (engine-state-sized upserts)",
        $"{raw.WritesPerSecond:0} writes/s ({raw.EntityBytes} B entity, {raw.Concurrency} concurrent)"));

    Step($"bulk start of all {options.Engines:N0} engines, {options.Parallelism} at a time");
    var beforeBulk = Prometheus.Parse(await api.MetricsAsync());
    var bulk = await Timed.ForEachAsync(ids, options.Parallelism, api.StartAsync);
    Fail(bulk.Failures, "bulk start");
    var afterBulk = Prometheus.Parse(await api.MetricsAsync());
    var bulkRate = options.Engines / bulk.Elapsed.TotalSeconds;
    var writesPerStart = (afterBulk.Sum("cts_storage_writes_total") - beforeBulk.Sum("cts_storage_writes_total")) / options.Engines;
    var storageBound = raw.WritesPerSecond / writesPerStart;
    report.Add(new Row("storage writes per start (counted by the host)", $"{writesPerStart:0.00}"));
    report.Add(new Row("bulk start throughput", $"{bulkRate:0} engines/s ({bulk.Elapsed.TotalSeconds:0.0} s)"));
    report.Add(new Row("bulk start ÷ storage-bound rate (raw writes/s ÷ writes per start)",
        $"{bulkRate / storageBound:P0} of {storageBound:0} engines/s", "≥ 50 %", bulkRate / storageBound >= 0.5));
    report.Note($"Writes per start by table: {ByTable(afterBulk, beforeBulk, options.Engines)}.");

    var running = (await api.ListAllAsync()).Count(e => e.State == "Running");
    if (running != options.Engines)
    {
        report.Note($"Only {running} of {options.Engines} engines were Running after the bulk start.");
    }
    var settle = TimeSpan.FromSeconds(6);
    Step($"{running:N0} engines running; settling {settle.TotalSeconds:0} s (every timer ticks once), then a {options.Window.TotalSeconds:0} s window");
    await Task.Delay(settle);
    var steady = await SteadyState.MeasureAsync(api, host.Pid, options.Window);
    foreach (var processor in SteadyState.Processors)
    {
        var lag = steady.Lag[processor];
        report.Add(new Row($"cycle lag, {processor} (p50 / p95 / p99)", $"{lag} ({steady.CyclesPerSecond[processor]:0}/s)", "p99 < 100 ms",
            lag.Count > 0 && !lag.Overflow && lag.P99 < 100));
    }
    report.Add(new Row("host CPU over the window", $"{steady.CpuCores:0.00} cores of {Environment.ProcessorCount}"));
    report.Add(new Row("host RSS (peak in the window)", $"{steady.PeakRssBytes / 1024.0 / 1024.0:0} MiB", "< 1.5 GiB",
        steady.PeakRssBytes < 1.5 * 1024 * 1024 * 1024));
    var perEngineSecond = steady.Writes / (running * steady.Window.TotalSeconds);
    report.Add(new Row("storage writes per engine-second", $"{perEngineSecond:0.000} ({steady.Writes:0} writes)", "≤ 0.2", perEngineSecond <= 0.2));
    report.Note("Storage writes in the window by table: "
        + string.Join(", ", steady.WritesByTable.OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value:0}")) + ".");
    if (options.Window < TimeSpan.FromSeconds(30))
    {
        report.Note($"The window ({options.Window.TotalSeconds:0} s) is shorter than the health flush period (30 s): writes per engine-second may miss or over-count flushes.");
    }

    var sample = Enumerable.Range(0, options.LoadedStarts).Select(i => ids[options.IdleStarts + i * (options.Engines - options.IdleStarts) / options.LoadedStarts]).ToArray();
    Step($"single start under load: stop + start {sample.Length} engines one at a time");
    var (loadedStops, loadedStartTimes) = (new List<double>(), new List<double>());
    foreach (var id in sample)
    {
        loadedStops.Add(await Timed.OnceAsync(() => api.StopAsync(id)));
        loadedStartTimes.Add(await Timed.OnceAsync(() => api.StartAsync(id)));
    }
    var loadedStarts = Percentiles.Of(loadedStartTimes);
    report.Add(new Row($"single start with {running:N0} running, p50 / p95 / p99", loadedStarts.ToString()));
    report.Add(new Row($"single stop with {running:N0} running, p50 / p95 / p99", Percentiles.Of(loadedStops).ToString()));

    // Listings a second apart, like operators' pages polling: every running engine's health has changed since the
    // last one, so none is served from the board's ready documents of the listing before.
    Step($"status-all of {options.Engines:N0} engines (pages of {CtsApi.MaxTop}), {options.StatusAllRepeats} times, {options.StatusAllSpacing.TotalSeconds:0.#} s apart");
    var listings = new List<double>();
    for (var i = 0; i < options.StatusAllRepeats; i++)
    {
        await Task.Delay(options.StatusAllSpacing);
        var clock = Stopwatch.StartNew();
        var count = (await api.ListAllAsync()).Count;
        listings.Add(clock.Elapsed.TotalMilliseconds);
        if (count != options.Engines)
        {
            report.Note($"status-all listed {count} engines, not {options.Engines}.");
        }
    }
    var statusAll = Percentiles.Of(listings);
    report.Add(new Row($"status-all, whole listing ({options.StatusAllRepeats}, {options.StatusAllSpacing.TotalSeconds:0.#} s apart), p50 / p95 / p99",
        statusAll.ToString(), "p99 < 250 ms", statusAll.P99 < 250));

    Step($"recovery: kill -9 the host (pid {host.Pid}) with {options.Engines:N0} running, relaunch, wait for all Running and cycling");
    var recovery = await Recovery.MeasureAsync(host, http, api, options.Engines, options.RecoveryDeadline);
    report.Add(new Row("recovery after kill -9: all Running with advancing cycles",
        recovery.AllAdvancing is { } all
            ? $"{all.TotalSeconds:0.0} s (host ready {recovery.Ready?.TotalSeconds:0.0} s, all Running {recovery.AllRunning?.TotalSeconds:0.0} s)"
            : $"not within {options.RecoveryDeadline.TotalSeconds:0} s ({recovery.Advancing} of {recovery.Engines} advancing)",
        "< 30 s", recovery.AllAdvancing < TimeSpan.FromSeconds(30)));
}
catch (Exception e)
{
    Console.Error.WriteLine($"benchmark failed: {e.Message}{Environment.NewLine}--- host ({host.Condition}) output (tail) ---{Environment.NewLine}{host.OutputTail}");
    report.Note($"The run stopped early: {e.GetType().Name}: {e.Message.Split('\n')[0]} (host {host.Condition}).");
    Environment.ExitCode = 1;
}
finally
{
    host.Dispose();
    azurite.Dispose();
}

var markdown = report.ToMarkdown(Git(root, "rev-parse --short HEAD"));
var results = Path.Combine(root, "bench", "results", "latest.md");
Directory.CreateDirectory(Path.GetDirectoryName(results)!);
await File.WriteAllTextAsync(results, markdown);
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine($"written to {Path.GetRelativePath(Environment.CurrentDirectory, results)} (run took {run.Elapsed.TotalSeconds:0} s after the build)");

void Step(string what) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}");

void Fail(IReadOnlyList<Exception> failures, string phase)
{
    if (failures.Count > 0)
    {
        report.Note($"{failures.Count} failures during {phase}, first: {failures[0].Message.Split('\n')[0]}");
    }
}

static string ByTable(Prometheus after, Prometheus before, int engines)
{
    var earlier = before.SumBy("cts_storage_writes_total", "table");
    return string.Join(", ", after.SumBy("cts_storage_writes_total", "table")
        .Select(t => (t.Key, PerStart: (t.Value - earlier.GetValueOrDefault(t.Key)) / engines))
        .Where(t => t.PerStart > 0)
        .OrderByDescending(t => t.PerStart)
        .Select(t => $"{t.Key} {t.PerStart:0.00}"));
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Cts.Functions.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("no Cts.Functions.sln above " + AppContext.BaseDirectory);
}

static string Git(string root, string arguments)
{
    try
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = root, RedirectStandardOutput = true })!;
        var output = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return output;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "unknown";
    }
}
