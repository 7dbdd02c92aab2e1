using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cts.Functions.Tests.Contract;

/// <summary>The served OpenAPI document, read as JSON, with the look-ups the contract checks need.</summary>
public sealed partial class ContractDocument(JsonNode root)
{
    public const string Path = "/openapi/v1.json";

    public static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    public JsonNode Root { get; } = root;

    public JsonSchemaCheck Schemas { get; } = new(root);

    public JsonObject Paths => Root["paths"]!.AsObject();

    public static async Task<ContractDocument> FetchAsync(HttpClient client)
    {
        using var response = await client.GetAsync(Path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {Path} answered {(int)response.StatusCode}: {text}");
        }
        return new ContractDocument(JsonNode.Parse(text)!);
    }

    /// <summary>Every operation: (METHOD, path, operation object).</summary>
    public IEnumerable<(string Method, string Path, JsonObject Operation)> Operations() =>
        from path in Paths
        from entry in path.Value!.AsObject()
        where Methods.Contains(entry.Key)
        select (entry.Key.ToUpperInvariant(), path.Key, entry.Value!.AsObject());

    public JsonObject? Operation(string method, string path) =>
        Paths[path]?[method.ToLowerInvariant()] as JsonObject;

    /// <summary>A route pattern (<c>/api/connections/{id}/</c>, <c>{id:int}</c>) as the document writes paths.</summary>
    public static string PathOf(string routePattern) =>
        "/" + Constraint().Replace(routePattern, "{${name}}").Trim('/');

    /// <summary>
    /// The document path a request path falls under (<c>/api/engines/p1/start</c> → <c>/api/engines/{connectionId}/start</c>),
    /// literal segments before parameters as routing does; null when none does.
    /// </summary>
    public string? MatchPath(string method, string requestPath)
    {
        var segments = requestPath.Trim('/').Split('/');
        return Paths
            .Where(p => p.Value?[method.ToLowerInvariant()] is not null)
            .Select(p => (Template: p.Key, Parts: p.Key.Trim('/').Split('/')))
            .Where(t => t.Parts.Length == segments.Length && t.Parts.Zip(segments).All(x =>
                x.First.StartsWith('{') || string.Equals(x.First, Uri.UnescapeDataString(x.Second), StringComparison.Ordinal)))
            .OrderByDescending(t => t.Parts.Count(p => !p.StartsWith('{')))
            .Select(t => t.Template)
            .FirstOrDefault();
    }

    /// <summary>The schema of a <c>$ref</c> or an inline one.</summary>
    public JsonNode Resolve(JsonNode node)
    {
        while (node["$ref"] is JsonValue reference)
        {
            JsonNode? target = Root;
            foreach (var part in reference.GetValue<string>()[2..].Split('/'))
            {
                target = target?[part];
            }
            node = target ?? throw new InvalidOperationException($"unresolved {reference}");
        }
        return node;
    }

    [GeneratedRegex(@"\{(?<name>\*{0,2}[A-Za-z0-9_]+)(?:[:=?][^}]*)?\}")]
    private static partial Regex Constraint();
}
