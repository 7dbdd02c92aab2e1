using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cts.Functions.Config;

/// <summary>
/// Names the fields that differ between two versions of a configuration document, for the audit trail. Only
/// names: values are never recorded, so a changed secret shows as its field name alone.
/// </summary>
public static class ChangedFields
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Top-level field names (camelCase) whose values differ, ignoring <paramref name="ignore"/>; all fields when <paramref name="before"/> is null.</summary>
    public static IReadOnlyList<string> Between<T>(T? before, T after, params string[] ignore) where T : class
    {
        var a = before is null ? new JsonObject() : JsonSerializer.SerializeToNode(before, Json)!.AsObject();
        var b = JsonSerializer.SerializeToNode(after, Json)!.AsObject();
        return a.Select(p => p.Key).Union(b.Select(p => p.Key))
            .Where(name => !ignore.Contains(name, StringComparer.Ordinal))
            .Where(name => !JsonNode.DeepEquals(a[name], b[name]))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static string Describe(IReadOnlyList<string> fields) => fields.Count == 0 ? "no changes" : "changed: " + string.Join(", ", fields);
}
