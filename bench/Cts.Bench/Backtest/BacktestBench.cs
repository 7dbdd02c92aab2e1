using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cts.Domain.Backtesting;
using Cts.Domain.Config;
using Cts.Domain.Market;
using Cts.Domain.Trading;

namespace Cts.Bench.Backtest;

/// <summary>
/// <c>--backtest</c>: how fast the backtest runner steps the engine's code through history, in process (no host, no
/// storage: it measures the domain stepping a backtest grain runs, not the grain's checkpoint writes, which happen once a
/// second). The default preset over a year of paper one-minute candles for one symbol and for four, at the preset's
/// intervals (5 s / 5 s / 1 s). Writes <c>bench/results/backtest.md</c>, or a section of <c>latest.md</c> under <c>--all</c>.
/// </summary>
public static class BacktestBench
{
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Intro =
        "In process, one thread: the domain `BacktestRunner` (the engine's processors, book, executor and paper venue on a simulated clock) with the default preset "
        + "(EMA crossover 3/8, 100 USDT a position, at most 3, stop-loss 2 %, take-profit 4 %) at its cycle intervals 5 s / 5 s / 1 s on paper "
        + "one-minute candles. No storage: a backtest grain adds a checkpoint (trades, checkpoint blob, record) once a second of wall time. "
        + "Target (issue #15): one year of one symbol in under 60 s.";

    private static readonly string[] Header = ["symbols", "window", "candles", "wall time", "candles/s", "ticks run", "ticks skipped", "trades"];

    /// <summary><c>--backtest</c> alone: the speed table in <c>bench/results/backtest.md</c>.</summary>
    public static async Task<int> RunAsync(string[] args, string root)
    {
        var days = args.Contains("--quick") ? 30 : 365;
        var dayArg = Array.IndexOf(args, "--days");
        if (dayArg >= 0 && dayArg + 1 < args.Length)
        {
            days = int.Parse(args[dayArg + 1], CultureInfo.InvariantCulture);
        }
        var (rows, load) = await MeasureAllAsync(days);
        var text = new StringBuilder()
            .AppendLine("# Backtest speed")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/Cts.Bench -- --backtest{(days == 365 ? "" : $" --days {days}")}` — {Report.Machine()}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC.")
            .AppendLine()
            .AppendLine(Intro)
            .AppendLine()
            .AppendLine(load)
            .AppendLine()
            .AppendLine("| " + string.Join(" | ", Header) + " |")
            .AppendLine("|" + string.Concat(Header.Select(_ => "---|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        var path = Path.Combine(root, "bench", "results", "backtest.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text.ToString());
        Console.WriteLine(text);
        Console.WriteLine($"written to {path}");
        return 0;
    }

    /// <summary>Part of <c>--all</c>: the same table as a section of the one report (a year, or 30 days with <c>--quick</c>).</summary>
    public static async Task AddToAsync(Report report, bool quick)
    {
        var (rows, load) = await MeasureAllAsync(quick ? 30 : 365);
        report.AddTable("Backtest speed (issue #15)", Intro, Header, rows, [load]);
    }

    private static async Task<(List<string[]> Rows, string Load)> MeasureAllAsync(int days)
    {
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        var rows = new List<string[]>
        {
            await MeasureAsync(["BTCUSDT"], days),
            await MeasureAsync(["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT"], days),
        };
        var load = $"Load average (/proc/loadavg) before: `{loadBefore}`, after: `{File.ReadAllText("/proc/loadavg").Trim()}`; a load far above 2 stretches every figure.";
        return (rows, load);
    }

    private static async Task<string[]> MeasureAsync(string[] symbols, int days)
    {
        var preset = Preset.Default;
        var setup = new BacktestSetup("bench", symbols, From, From.AddDays(days), preset.ToStrategyParameters(), preset.ToRiskParameters(),
            CycleCadence.For("bench", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), new PaperFillModel(), 10_000m);
        var clock = Stopwatch.StartNew();
        var runner = await BacktestRunner.StartAsync(setup, new PaperHistory(new PaperMarket(42)));
        await runner.RunToEndAsync();
        var elapsed = clock.Elapsed;
        var candles = (long)(setup.To - setup.From).TotalMinutes * symbols.Length;
        Console.WriteLine($"{symbols.Length} symbols, {days} days: {elapsed.TotalSeconds:0.0} s");
        var c = CultureInfo.InvariantCulture;
        return [$"{symbols.Length} ({string.Join(", ", symbols)})", $"{days} days", candles.ToString("N0", c), elapsed.TotalSeconds.ToString("0.0", c) + " s",
            (candles / elapsed.TotalSeconds).ToString("N0", c), runner.TicksRun.ToString("N0", c), runner.TicksSkipped.ToString("N0", c), runner.ClosedTradeCount.ToString("N0", c)];
    }
}
