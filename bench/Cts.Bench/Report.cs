using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Cts.Bench;

/// <summary>One line of the results table: a figure, its value, the issue #7 target and whether it is met (null: no target).</summary>
public sealed record Row(string Figure, string Value, string Target = "—", bool? Met = null);

/// <summary>The results as markdown: run conditions, the table, and notes that explain the bounds.</summary>
public sealed class Report(BenchOptions options)
{
    private readonly List<Row> _rows = [];
    private readonly List<string> _notes = [];

    public void Add(Row row)
    {
        _rows.Add(row);
        Console.WriteLine($"  {row.Figure}: {row.Value}{(row.Met is { } met ? met ? "  (target met)" : $"  (target {row.Target} NOT met)" : "")}");
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine($"  note: {note}");
    }

    public string ToMarkdown(string commit)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# CTS benchmark — {options.Engines:N0} engines{(options.Quick ? " (quick mode)" : "")}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"`dotnet run -c Release --project bench/Cts.Bench -- {(options.Quick ? "--quick" : $"--engines {options.Engines}")}` "
            + $"at commit `{commit}`, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine()}. Host and Azurite (table + blob) on the same machine, host in Release, "
            + $"steady-state window {options.Window.TotalSeconds:0} s.");
        if (options.Engines != 10_000)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"The targets are for 10,000 engines; this run has {options.Engines:N0}, so \"met\" says little about them.");
        }
        text.AppendLine();
        text.AppendLine("| figure | value | target (issue #7) | met? |");
        text.AppendLine("|---|---|---|---|");
        foreach (var row in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Figure} | {row.Value} | {row.Target} | {row.Met switch { true => "yes", false => "**no**", null => "—" }} |");
        }
        if (_notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in _notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }
        return text.ToString();
    }

    /// <summary>Cores, CPU model and RAM from /proc, and the runtime.</summary>
    public static string Machine()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            ?? "unknown CPU";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var gib = long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({model}), {gib:0.0} GiB RAM, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
    }
}
