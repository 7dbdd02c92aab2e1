using System.Globalization;
using System.Text.RegularExpressions;

namespace Cts.Bench.Measurements;

/// <summary>One scrape of <c>/metrics</c> (Prometheus text format): samples by name and labels.</summary>
public sealed partial class Prometheus(IReadOnlyList<Prometheus.Sample> samples)
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static Prometheus Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#' || SampleLine().Match(line.TrimEnd('\r')) is not { Success: true } m)
            {
                continue;
            }
            var labels = LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            samples.Add(new Sample(m.Groups["name"].Value, labels, ParseValue(m.Groups["value"].Value)));
        }
        return new Prometheus(samples);
    }

    /// <summary>The sum of every series of <paramref name="name"/> whose labels include <paramref name="where"/>.</summary>
    public double Sum(string name, params (string Label, string Value)[] where) => Matching(name, where).Sum(s => s.Value);

    /// <summary>Whether any series of <paramref name="name"/> was scraped.</summary>
    public bool Has(string name) => samples.Any(s => s.Name == name);

    /// <summary>Sums by the value of <paramref name="label"/>, of the series whose labels include <paramref name="where"/>.</summary>
    public Dictionary<string, double> SumBy(string name, string label, params (string Label, string Value)[] where) => Matching(name, where)
        .Where(s => s.Labels.ContainsKey(label))
        .GroupBy(s => s.Labels[label])
        .ToDictionary(g => g.Key, g => g.Sum(s => s.Value));

    /// <summary>
    /// How much each value of <paramref name="label"/> grew between <paramref name="before"/> and <paramref name="after"/>
    /// (counters only), of the series whose labels include <paramref name="where"/>; values that did not grow are left out.
    /// </summary>
    public static Dictionary<string, double> GrowthBy(Prometheus before, Prometheus after, string name, string label,
        params (string Label, string Value)[] where)
    {
        var earlier = before.SumBy(name, label, where);
        return after.SumBy(name, label, where)
            .Select(t => (t.Key, Value: t.Value - earlier.GetValueOrDefault(t.Key)))
            .Where(t => t.Value > 0)
            .ToDictionary(t => t.Key, t => t.Value);
    }

    /// <summary>Cumulative buckets of histogram <paramref name="name"/> (without <c>_bucket</c>) for the series matching <paramref name="where"/>.</summary>
    public SortedDictionary<double, double> Buckets(string name, params (string Label, string Value)[] where)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var sample in Matching(name + "_bucket", where))
        {
            var bound = ParseValue(sample.Labels["le"]);
            buckets[bound] = buckets.GetValueOrDefault(bound) + sample.Value;
        }
        return buckets;
    }

    /// <summary>Percentiles of what a histogram observed between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static Percentiles Between(Prometheus before, Prometheus after, string histogram, params (string Label, string Value)[] where)
    {
        var earlier = before.Buckets(histogram, where);
        var delta = after.Buckets(histogram, where).Select(b => (b.Key, b.Value - earlier.GetValueOrDefault(b.Key))).ToList();
        return Percentiles.OfHistogram(delta);
    }

    private IEnumerable<Sample> Matching(string name, (string Label, string Value)[] where) =>
        samples.Where(s => s.Name == name && where.All(w => s.Labels.TryGetValue(w.Label, out var v) && v == w.Value));

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\S+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
