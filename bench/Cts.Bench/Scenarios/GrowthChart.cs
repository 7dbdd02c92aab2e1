using System.Globalization;
using System.Security;
using System.Text;

namespace Cts.Bench.Scenarios;

/// <summary>
/// The growth points as a small SVG: three panels side by side (CPU cores, RSS MiB, cycle lag p99 ms) against the
/// number of engines, each with its axis labels. Text-only and deterministic, so it can be committed and diffed.
/// </summary>
public static class GrowthChart
{
    private const int PanelWidth = 300;
    private const int PanelHeight = 220;
    private const int Margin = 48;

    public static string Svg(IReadOnlyList<Growth.Point> points)
    {
        var panels = new (string Title, Func<Growth.Point, double> Value, string Unit)[]
        {
            ("host CPU", p => p.CpuCores, "cores"),
            ("host RSS", p => p.RssMiB, "MiB"),
            ("cycle lag p99", p => p.LagP99, "ms"),
        };
        var width = panels.Length * (PanelWidth + Margin) + Margin;
        var height = PanelHeight + 2 * Margin;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        var maxEngines = points.Count == 0 ? 1 : points.Max(p => p.Engines);
        for (var i = 0; i < panels.Length; i++)
        {
            var (title, value, unit) = panels[i];
            var left = Margin + i * (PanelWidth + Margin);
            var top = Margin;
            var values = points.Select(value).Where(v => !double.IsNaN(v) && !double.IsInfinity(v)).ToList();
            var max = values.Count == 0 ? 1 : Nice(values.Max());
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{top - 14}\" font-size=\"13\" font-weight=\"bold\">{Escape(title)} ({Escape(unit)})</text>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#999\"/>");
            for (var tick = 0; tick <= 4; tick++)
            {
                var y = top + PanelHeight - tick * PanelHeight / 4.0;
                svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{left + PanelWidth}\" y2=\"{y:0.#}\" stroke=\"#eee\"/>");
                svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{max * tick / 4:0.##}</text>");
            }
            var path = new StringBuilder();
            foreach (var p in points)
            {
                var v = value(p);
                if (double.IsNaN(v) || double.IsInfinity(v))
                {
                    continue;
                }
                var x = left + PanelWidth * p.Engines / (double)maxEngines;
                var y = top + PanelHeight - PanelHeight * v / max;
                path.Append(CultureInfo.InvariantCulture, $"{(path.Length == 0 ? "M" : " L")}{x:0.#},{y:0.#}");
                svg.AppendLine(CultureInfo.InvariantCulture, $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"3\" fill=\"#1f77b4\"/>");
                svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{top + PanelHeight + 14}\" text-anchor=\"middle\">{p.Engines / 1000.0:0.#}k</text>");
            }
            if (path.Length > 0)
            {
                svg.AppendLine(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>");
            }
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left + PanelWidth / 2}\" y=\"{top + PanelHeight + 30}\" text-anchor=\"middle\">engines</text>");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least the value.</summary>
    private static double Nice(double value)
    {
        if (value <= 0)
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 5, 10 }.Select(m => m * power).First(bound => bound >= value);
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
