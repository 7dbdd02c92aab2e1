using System.Diagnostics;
using System.Globalization;
using Cts.Bench;
using Cts.Bench.Processes;
using Cts.Bench.Scenarios;

// The CTS benchmark (issues #7 and #14): Azurite and the real host (Release, its own process), N paper engines,
// repeated runs, a soak with storage pauses, the growth series and the Durable Task peer, as markdown in
// bench/results/latest.md. Every process it starts is stopped by PID.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("--backtest"))
{
    // Issue #15: backtest speed, in process (see Backtest/BacktestBench.cs); no host, no Azurite.
    Environment.ExitCode = await Cts.Bench.Backtest.BacktestBench.RunAsync(args, RepositoryRoot());
    return;
}
var options = BenchOptions.Parse(args);
var root = RepositoryRoot();
var report = new Report(options.Command.Length == 0 ? "(no arguments)" : options.Command);

Step($"building the host (Release)");
var dll = await HostProcess.BuildAsync(root);
var clock = Stopwatch.StartNew();

IReadOnlyList<RunResult> runs = [];
if (options.MeasureEngines)
{
    runs = await RepeatedRuns.RunAsync(options, root, dll, Step);
    RepeatedRuns.Report(report, options, runs);
}
if (options.Soak is not null)
{
    await Soak.RunAsync(report, options, root, dll, Step);
}
if (options.Growth is not null)
{
    await Growth.RunAsync(report, options, root, dll, Step);
}
if (options.Peer is not null)
{
    var rows = await PeerComparison.RunAsync(options, root, dll, Step);
    // The capacity CTS sustained at scale: all processors' cycles per second in the worst of the runs.
    var atScale = runs.Select(r => r.ValueOf(EngineScenario.TotalCycles)).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Min();
    PeerComparison.Report(report, options, rows, double.IsNaN(atScale) ? null : atScale);
}
if (options.Backtest)
{
    Step("=== backtest speed (in process) ===");
    await Cts.Bench.Backtest.BacktestBench.AddToAsync(report, options.Quick);
}
if (runs.Any(r => r.StoppedEarly))
{
    Environment.ExitCode = 1;
}

var markdown = report.ToMarkdown(Git(root, "rev-parse --short HEAD"), clock.Elapsed);
var results = Path.Combine(root, "bench", "results", "latest.md");
Directory.CreateDirectory(Path.GetDirectoryName(results)!);
await File.WriteAllTextAsync(results, markdown);
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine($"written to {Path.GetRelativePath(Environment.CurrentDirectory, results)} (run took {clock.Elapsed.TotalSeconds:0} s after the build)");

void Step(string what) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}");

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
