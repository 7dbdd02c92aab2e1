using System.Text.Json;
using Cts.Domain.Config;

namespace Cts.Functions.Api;

/// <summary>
/// Strict JSON for everything the API reads (request bodies, and backups being restored): parse, check the shape
/// (<see cref="JsonShape"/>), check required fields, then deserialize with <see cref="ApiJson.Strict"/>. Every problem
/// is an error per field; nothing here throws on bad input or names a .NET type.
/// </summary>
public static class StrictJson
{
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    /// <summary>The parsed document, or the error that says where it is not JSON.</summary>
    public static (JsonDocument? Document, IReadOnlyDictionary<string, string[]>? Errors) Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            return (JsonDocument.Parse(utf8, DocumentOptions), null);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1})" : "";
            return (null, One("body", $"is not valid JSON{where}"));
        }
    }

    /// <summary>
    /// <paramref name="root"/> as a <typeparamref name="T"/>: it must be an object of that shape, and carry (not null)
    /// every dotted path in <paramref name="requiredFields"/>.
    /// </summary>
    public static (T? Value, IReadOnlyDictionary<string, string[]>? Errors) Bind<T>(JsonElement root, IReadOnlyList<string>? requiredFields = null)
        where T : class
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, One("body", "must be a JSON object"));
        }
        var errors = new FieldErrors();
        JsonShape.Check(root, typeof(T), ApiJson.Strict, "", errors);
        foreach (var path in requiredFields ?? [])
        {
            if (IsMissing(root, path))
            {
                errors.Add(path, "is required");
            }
        }
        if (!errors.IsEmpty)
        {
            return (null, errors.ToDictionary());
        }
        try
        {
            var value = root.Deserialize<T>(ApiJson.Strict);
            return value is null ? (null, One("body", "must be a JSON object")) : (value, null);
        }
        catch (JsonException e)
        {
            // The shape check should have caught it; say where, without the serializer's text (it names .NET types).
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, One(field, "is not valid"));
        }
    }

    /// <summary>True when the member at <paramref name="path"/> is absent or null; a path under an absent parent is not reported (the parent is).</summary>
    private static bool IsMissing(JsonElement root, string path)
    {
        var current = root;
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            if (current.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            if (!current.TryGetProperty(parts[i], out var next) || next.ValueKind == JsonValueKind.Null)
            {
                return i == parts.Length - 1;
            }
            current = next;
        }
        return false;
    }

    public static IReadOnlyDictionary<string, string[]> One(string field, string message) =>
        new Dictionary<string, string[]> { [field] = [message] };
}
