namespace Cts.Bench.Scenarios;

/// <summary>
/// The N-engine measurement repeated K times, each on a fresh Azurite and host: per figure the median and the worst
/// run (worst by the figure's own sense: the highest latency, the lowest ratio), judged on the worst.
/// </summary>
public static class RepeatedRuns
{
    public static async Task<IReadOnlyList<RunResult>> RunAsync(BenchOptions options, string root, string dll, Action<string> step)
    {
        var runs = new List<RunResult>();
        for (var i = 1; i <= options.Runs; i++)
        {
            step($"=== run {i} of {options.Runs} at {options.Engines:N0} engines ===");
            runs.Add(await EngineScenario.RunAsync(options, root, dll, step));
        }
        return runs;
    }

    public static void Report(Report report, BenchOptions options, IReadOnlyList<RunResult> runs)
    {
        var names = runs.SelectMany(r => r.Figures.Select(f => f.Name)).Distinct().ToList();
        var rows = new List<(string, string, string, bool?)>();
        foreach (var name in names)
        {
            var figures = runs.Select(r => r.Figures.FirstOrDefault(f => f.Name == name)).ToList();
            var target = figures.FirstOrDefault(f => f?.Target is not null)?.Target;
            if (runs.Count == 1)
            {
                var only = figures[0]!;
                rows.Add((name, only.Display, target?.Text ?? "—", only.Met));
                continue;
            }
            var measured = figures.Where(f => f is not null && !double.IsNaN(f.Value)).Cast<Figure>().OrderBy(f => f.Value).ToList();
            // A run that stopped early or missed the figure counts as the worst.
            var missing = figures.Count(f => f is null || double.IsNaN(f.Value));
            if (measured.Count == 0)
            {
                rows.Add((name, string.Join(" · ", figures.Select(f => f?.Display ?? "—")), target?.Text ?? "—", target is null ? null : false));
                continue;
            }
            var median = measured[(measured.Count - 1) / 2];
            var worst = target is { LowerIsBetter: false } ? measured[0] : measured[^1];
            var value = $"median {median.Display}; worst {worst.Display}" + (missing > 0 ? $"; {missing} run(s) without it" : "");
            bool? met = target is null ? null : missing == 0 && worst.Met == true;
            rows.Add((name, value, target?.Text ?? "—", met));
        }
        var notes = runs.SelectMany((r, i) => r.Notes.Select(n => $"run {i + 1}: {n}"));
        report.AddFigures($"{options.Engines:N0} paper engines, {runs.Count} run(s)",
            $"All three processors at their default cadences (indications and strategies 5 s, realtime 1 s), steady-state window "
            + $"{options.Window.TotalSeconds:0} s. {BenchSymbols.Describe(options.Engines, options.Symbols)} Each run has its own fresh Azurite and host. "
            + "Targets are judged on the worst run.",
            rows, notes);
    }
}
