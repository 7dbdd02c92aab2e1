using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Cts.Bench;

/// <summary>The results as markdown: the command and run conditions, then one section per scenario with its table and notes.</summary>
public sealed class Report(string command)
{
    private readonly StringBuilder _sections = new();

    /// <summary>A table of figures with a target column (the 10,000-engine runs, the soak).</summary>
    public void AddFigures(string title, string intro, IEnumerable<(string Figure, string Value, string Target, bool? Met)> rows, IEnumerable<string> notes) =>
        AddTable(title, intro, ["figure", "value", "target (issue #14)", "met?"],
            rows.Select(r => new[] { r.Figure, r.Value, r.Target, r.Met switch { true => "yes", false => "**no**", null => "—" } }), notes);

    public void AddTable(string title, string intro, IReadOnlyList<string> header, IEnumerable<string[]> rows, IEnumerable<string> notes)
    {
        _sections.AppendLine(CultureInfo.InvariantCulture, $"## {title}");
        _sections.AppendLine();
        if (intro.Length > 0)
        {
            _sections.AppendLine(intro);
            _sections.AppendLine();
        }
        _sections.AppendLine("| " + string.Join(" | ", header) + " |");
        _sections.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var row in rows)
        {
            _sections.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        var kept = notes.ToList();
        if (kept.Count > 0)
        {
            _sections.AppendLine();
            foreach (var note in kept)
            {
                _sections.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }
        _sections.AppendLine();
    }

    public void AddText(string title, string text)
    {
        _sections.AppendLine(CultureInfo.InvariantCulture, $"## {title}");
        _sections.AppendLine();
        _sections.AppendLine(text);
        _sections.AppendLine();
    }

    public string ToMarkdown(string commit, TimeSpan took)
    {
        var text = new StringBuilder();
        text.AppendLine("# CTS benchmark");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"`dotnet run -c Release --project bench/Cts.Bench -- {command}` at commit `{commit}`, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, "
            + $"{took.TotalMinutes:0} min after the build.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine()}. Host, Azurite (table + blob; + queue for the peer) and the bench on the same "
            + $"machine, host in Release. This machine's speed varies by up to half from run to run: storage-bound figures are given as ratios to what "
            + $"Azurite did in the same run.");
        text.AppendLine();
        text.Append(_sections.ToString());
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
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({model}), {gib:0.0} GiB RAM, load average {load} at the end, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
    }
}
