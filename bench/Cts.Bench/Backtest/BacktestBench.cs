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
/// intervals (5 s / 5 s / 1 s). Writes <c>bench/results/backtest.md</c>.
/// </summary>
public static class BacktestBench
{
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args, string root)
    {
        var days = args.Contains("--quick") ? 30 : 365;
        var dayArg = Array.IndexOf(args, "--days");
        if (dayArg >= 0 && dayArg + 1 < args.Length)
        {
            days = int.Parse(args[dayArg + 1], CultureInfo.InvariantCulture);
        }
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        var runs = new List<string>
        {
            await MeasureAsync(["BTCUSDT"], days),
            await MeasureAsync(["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT"], days),
        };
        var text = new StringBuilder()
            .AppendLine("# Backtest speed")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/Cts.Bench -- --backtest{(days == 365 ? "" : $" --days {days}")}` — {Report.Machine()}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC.")
            .AppendLine()
            .AppendLine("In process, one thread: the domain `BacktestRunner` (the engine's processors, book, executor and paper venue on a simulated clock) with the default preset")
            .AppendLine("(EMA crossover 3/8, 100 USDT a position, at most 3, stop-loss 2 %, take-profit 4 %) at its cycle intervals 5 s / 5 s / 1 s on paper")
            .AppendLine("one-minute candles. No storage: a backtest grain adds a checkpoint (trades, checkpoint blob, record) once a second of wall time.")
            .AppendLine("Target (issue #15): one year of one symbol in under 60 s.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Load average (/proc/loadavg) before: `{loadBefore}`, after: `{File.ReadAllText("/proc/loadavg").Trim()}` — the machine is shared by eight engineers; a load far above 2 stretches every figure.")
            .AppendLine()
            .AppendLine("| symbols | window | candles | wall time | candles/s | ticks run | ticks skipped | trades |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in runs)
        {
            text.AppendLine(row);
        }
        var path = Path.Combine(root, "bench", "results", "backtest.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text.ToString());
        Console.WriteLine(text);
        Console.WriteLine($"written to {path}");
        return 0;
    }

    private static async Task<string> MeasureAsync(string[] symbols, int days)
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
        return string.Create(CultureInfo.InvariantCulture,
            $"| {symbols.Length} ({string.Join(", ", symbols)}) | {days} days | {candles:N0} | {elapsed.TotalSeconds:0.0} s | {candles / elapsed.TotalSeconds:N0} | {runner.TicksRun:N0} | {runner.TicksSkipped:N0} | {runner.ClosedTradeCount:N0} |");
    }
}
