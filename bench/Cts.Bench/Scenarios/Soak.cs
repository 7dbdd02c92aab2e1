using System.Diagnostics;
using Cts.Bench.Measurements;
using Cts.Bench.Processes;

namespace Cts.Bench.Scenarios;

/// <summary>
/// N engines running for a long window while Azurite is paused (SIGSTOP of its PIDs) for 5 s at the start of every
/// minute and then resumed (SIGCONT). Per minute it measures cycle lag outside the pause (from 10 s after the resume
/// to the next pause) and during it, and watches for a meltdown: the host's HTTP port not answering
/// <c>/health/live</c>, or Orleans dropping grain calls.
/// </summary>
public static class Soak
{
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(10);

    /// <summary>
    /// One minute of the soak. A p99 past the lag histogram's last finite bucket is a lower bound
    /// (<see cref="Percentiles.Overflow"/>): it is shown as "&gt; 10000 ms", and it compares above any finite p99, as does
    /// a minute in which a processor ran no cycles at all.
    /// </summary>
    public sealed record Minute(int Index, Percentiles Outside, Percentiles During, double CyclesPerSecond)
    {
        public double OutsideLagP99 => WorstP99(Outside);

        public double DuringLagP99 => WorstP99(During);
    }

    public static async Task RunAsync(Report report, BenchOptions options, string root, string dll, Action<string> step)
    {
        var minutes = new List<Minute>();
        var notes = new List<string>();
        var (liveFailures, probes) = (0, 0);
        var dropped = 0;
        CtsSession? session = null;
        try
        {
            session = await CtsSession.StartAsync(root, dll, options.Engines, options.Symbols, options.Parallelism, step);
            var bulk = await session.StartAllAsync(options.Parallelism);
            if (bulk.Failures.Count > 0)
            {
                notes.Add($"{bulk.Failures.Count} starts failed before the soak, first: {bulk.Failures[0].Message.Split('\n')[0]}");
            }
            await Task.Delay(TimeSpan.FromSeconds(6));
            using var probeStop = new CancellationTokenSource();
            var probe = Task.Run(async () =>
            {
                using var live = new HttpClient { BaseAddress = session.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(3) };
                while (!probeStop.IsCancellationRequested)
                {
                    try
                    {
                        using var answer = await live.GetAsync("/health/live", probeStop.Token);
                        if (!answer.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref liveFailures);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !probeStop.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref liveFailures);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                    Interlocked.Increment(ref probes);
                    await Task.Delay(TimeSpan.FromSeconds(1), probeStop.Token).ContinueWith(_ => { });
                }
            });
            var count = (int)Math.Ceiling(options.Soak!.Value / Period);
            var pids = session.Azurite.Pids.ToList();
            for (var i = 0; i < count; i++)
            {
                step($"soak minute {i + 1} of {count}: Azurite paused for {Pause.TotalSeconds:0} s (pids {string.Join(", ", pids)})");
                var minute = Stopwatch.StartNew();
                var beforePause = Prometheus.Parse(await session.Api.MetricsAsync());
                Signals.Pause(pids);
                try
                {
                    await Task.Delay(Pause);
                }
                finally
                {
                    Signals.Resume(pids);
                }
                await Task.Delay(CatchUp);
                var afterCatchUp = Prometheus.Parse(await session.Api.MetricsAsync());
                await Task.Delay(Period - minute.Elapsed is { } rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero);
                var end = Prometheus.Parse(await session.Api.MetricsAsync());
                var outside = SteadyState.Processors.Select(p => Prometheus.Between(afterCatchUp, end, "cts_cycle_lag_milliseconds", ("processor", p))).ToList();
                var during = SteadyState.Processors.Select(p => Prometheus.Between(beforePause, afterCatchUp, "cts_cycle_lag_milliseconds", ("processor", p))).ToList();
                var cycles = outside.Sum(l => l.Count) / (Period - Pause - CatchUp).TotalSeconds;
                minutes.Add(new Minute(i + 1, Worst(outside), Worst(during), cycles));
                Console.WriteLine($"  minute {i + 1}: lag p99 outside the pause {P99(minutes[^1].Outside)}, during it {P99(minutes[^1].During)}, {cycles:0} cycles/s; {Activity(beforePause, end)}");
            }
            probeStop.Cancel();
            await probe;
            dropped = session.Host.DroppedGrainCalls;
            if (session.Host.Condition != "running")
            {
                notes.Add($"The host is not running at the end: {session.Host.Condition}.");
                liveFailures++;
            }
        }
        catch (Exception e)
        {
            notes.Add($"The soak stopped early: {e.GetType().Name}: {e.Message.Split('\n')[0]} (host {session?.Host.Condition ?? "not started"}).");
            liveFailures++;
        }
        finally
        {
            session?.Dispose();
        }

        var worstOutside = minutes.MaxBy(m => m.OutsideLagP99);
        var meltdowns = (liveFailures > 0 ? 1 : 0) + (dropped > 0 ? 1 : 0);
        report.AddFigures($"Soak: {options.Engines:N0} engines for {options.Soak!.Value.TotalMinutes:0} min, Azurite paused 5 s every minute",
            "Azurite's table and blob processes get SIGSTOP at the start of each minute and SIGCONT 5 s later. \"Outside the pauses\" is from "
            + $"{CatchUp.TotalSeconds:0} s after the resume to the next pause. {BenchSymbols.Describe(options.Engines, options.Symbols)}",
            [
                ("cycle lag p99 outside the pauses, worst minute", worstOutside is null ? "—" : P99(worstOutside.Outside), "< 50 ms",
                    worstOutside is not null && worstOutside.OutsideLagP99 < 50),
                ("cycle lag p99 during the pauses (and 10 s after), worst minute",
                    minutes.Count == 0 ? "—" : P99(minutes.MaxBy(m => m.DuringLagP99)!.During), "—", null),
                ("meltdowns: lost HTTP port (failed /health/live probes), dropped grain calls (host log lines)",
                    $"{meltdowns} ({liveFailures} of {probes} probes failed, {dropped} dropped-call lines)", "0", meltdowns == 0),
            ],
            notes.Concat([string.Join("; ", minutes.Select(m => $"min {m.Index}: {P99(m.Outside)} / {P99(m.During)}, {m.CyclesPerSecond:0}/s"))]));
    }

    /// <summary>
    /// What the host did in the minute, for the log: storage writes by table, failed cycles by processor, and exchange
    /// calls by outcome.
    /// </summary>
    private static string Activity(Prometheus before, Prometheus after)
    {
        static string Delta(Prometheus before, Prometheus after, string name, string label, params (string, string)[] where) =>
            string.Join(", ", Prometheus.GrowthBy(before, after, name, label, where)
                .OrderByDescending(t => t.Value)
                .Select(t => $"{t.Key} {t.Value:0}")) is { Length: > 0 } text ? text : "none";
        return $"writes by table {Delta(before, after, "cts_storage_writes_total", "table")}; "
            + $"failed cycles {Delta(before, after, "cts_cycle_duration_milliseconds_count", "processor", ("outcome", "failure"))}; "
            + $"exchange calls by outcome {Delta(before, after, "cts_exchange_calls_total", "outcome")}";
    }

    /// <summary>The processor whose lag p99 is worst; an empty one (no cycles measured) is worst of all.</summary>
    private static Percentiles Worst(IReadOnlyList<Percentiles> lags) =>
        lags.FirstOrDefault(l => l.Count == 0) ?? lags.MaxBy(WorstP99)!;

    private static double WorstP99(Percentiles lag) =>
        lag.Count == 0 || lag.Overflow ? double.PositiveInfinity : lag.P99;

    /// <summary>"— (no cycles)", "&gt; 10000 ms" for a p99 past the last bucket, else the p99 in ms.</summary>
    private static string P99(Percentiles lag) =>
        lag.Count == 0 ? "— (no cycles)" : $"{(lag.Overflow ? "> " : "")}{lag.P99:0} ms";
}
