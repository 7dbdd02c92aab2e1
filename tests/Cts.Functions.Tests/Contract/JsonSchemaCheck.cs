using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cts.Functions.Tests.Contract;

/// <summary>
/// Checks a JSON value against a schema of the served OpenAPI 3.1 document (JSON Schema 2020-12): the keywords the
/// document uses — <c>$ref</c>, <c>type</c>, <c>enum</c>, <c>properties</c>, <c>required</c>,
/// <c>additionalProperties</c>, <c>items</c>, <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c>, string, number and array bounds,
/// <c>pattern</c> and the <c>date-time</c> format. A keyword it does not know is ignored, never passed as valid by accident
/// of a typo: the document test lists the keywords the document uses.
/// </summary>
public sealed class JsonSchemaCheck(JsonNode document)
{
    public static readonly IReadOnlySet<string> KnownKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "$ref", "type", "enum", "properties", "required", "additionalProperties", "items", "oneOf", "anyOf", "allOf",
        "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems",
        "maxItems", "uniqueItems", "format", "description", "default", "readOnly", "writeOnly", "title", "nullable", "const",
    };

    /// <summary>Every way <paramref name="value"/> breaks <paramref name="schema"/>, each with its JSON path.</summary>
    public List<string> Check(JsonNode? value, JsonNode schema, string path = "$")
    {
        var errors = new List<string>();
        Validate(value, schema, path, errors, depth: 0);
        return errors;
    }

    private void Validate(JsonNode? value, JsonNode schema, string path, List<string> errors, int depth)
    {
        if (depth > 64)
        {
            errors.Add($"{path}: schema nesting too deep");
            return;
        }
        if (schema is JsonValue boolean && boolean.TryGetValue<bool>(out var allowed))
        {
            if (!allowed)
            {
                errors.Add($"{path}: no value is allowed here");
            }
            return;
        }
        if (schema["$ref"] is JsonValue reference)
        {
            Validate(value, Resolve(reference.GetValue<string>()), path, errors, depth + 1);
        }
        if (schema["type"] is { } type)
        {
            var types = type is JsonArray array ? array.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!types.Any(t => IsOfType(value, t)))
            {
                errors.Add($"{path}: {Describe(value)} is not of type {string.Join(" or ", types)}");
                return;
            }
        }
        if (schema["const"] is { } constant && !JsonNode.DeepEquals(constant, value))
        {
            errors.Add($"{path}: {Describe(value)} is not {constant.ToJsonString()}");
        }
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            errors.Add($"{path}: {Describe(value)} is not one of {values.ToJsonString()}");
        }
        foreach (var part in schema["allOf"]?.AsArray() ?? [])
        {
            Validate(value, part!, path, errors, depth + 1);
        }
        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(part => Check(value, part!, path).Count == 0))
        {
            errors.Add($"{path}: {Describe(value)} matches none of anyOf");
        }
        if (schema["oneOf"] is JsonArray oneOf)
        {
            var results = oneOf.Select(part => Check(value, part!, path)).ToList();
            var matches = results.Count(r => r.Count == 0);
            if (matches != 1)
            {
                errors.Add($"{path}: {Describe(value)} matches {matches} of oneOf, not exactly one"
                    + (matches == 0 ? ": " + string.Join("; ", results.SelectMany(r => r)) : ""));
            }
        }
        switch (value)
        {
            case JsonObject obj:
                CheckObject(obj, schema, path, errors, depth);
                break;
            case JsonArray array:
                CheckArray(array, schema, path, errors, depth);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                CheckString(scalar.GetValue<string>(), schema, path, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.Number:
                CheckNumber(scalar.GetValue<decimal>(), schema, path, errors);
                break;
        }
    }

    private void CheckObject(JsonObject obj, JsonNode schema, string path, List<string> errors, int depth)
    {
        foreach (var name in schema["required"]?.AsArray() ?? [])
        {
            var key = name!.GetValue<string>();
            if (!obj.ContainsKey(key))
            {
                errors.Add($"{path}: required property '{key}' is missing");
            }
        }
        var properties = schema["properties"] as JsonObject;
        foreach (var (key, child) in obj)
        {
            if (properties is not null && properties.TryGetPropertyValue(key, out var propertySchema))
            {
                Validate(child, propertySchema!, $"{path}.{key}", errors, depth + 1);
            }
            else if (schema["additionalProperties"] is { } additional)
            {
                Validate(child, additional, $"{path}.{key}", errors, depth + 1);
            }
        }
    }

    private void CheckArray(JsonArray array, JsonNode schema, string path, List<string> errors, int depth)
    {
        if (schema["minItems"] is { } min && array.Count < min.GetValue<int>())
        {
            errors.Add($"{path}: {array.Count} items, fewer than {min}");
        }
        if (schema["maxItems"] is { } max && array.Count > max.GetValue<int>())
        {
            errors.Add($"{path}: {array.Count} items, more than {max}");
        }
        if (schema["uniqueItems"] is JsonValue unique && unique.GetValue<bool>()
            && array.Select(i => i?.ToJsonString()).Distinct().Count() != array.Count)
        {
            errors.Add($"{path}: items are not unique");
        }
        if (schema["items"] is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, $"{path}[{i}]", errors, depth + 1);
            }
        }
    }

    private static void CheckString(string text, JsonNode schema, string path, List<string> errors)
    {
        if (schema["minLength"] is { } min && text.Length < min.GetValue<int>())
        {
            errors.Add($"{path}: '{text}' is shorter than {min}");
        }
        if (schema["maxLength"] is { } max && text.Length > max.GetValue<int>())
        {
            errors.Add($"{path}: '{text}' is longer than {max}");
        }
        if (schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern.GetValue<string>(), RegexOptions.CultureInvariant))
        {
            errors.Add($"{path}: '{text}' does not match {pattern}");
        }
        if (schema["format"]?.GetValue<string>() == "date-time"
            && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            errors.Add($"{path}: '{text}' is not a date-time");
        }
    }

    private static void CheckNumber(decimal number, JsonNode schema, string path, List<string> errors)
    {
        if (schema["minimum"] is { } min && number < min.GetValue<decimal>())
        {
            errors.Add($"{path}: {number} is below the minimum {min}");
        }
        if (schema["maximum"] is { } max && number > max.GetValue<decimal>())
        {
            errors.Add($"{path}: {number} is above the maximum {max}");
        }
        if (schema["exclusiveMinimum"] is { } xmin && number <= xmin.GetValue<decimal>())
        {
            errors.Add($"{path}: {number} is not above {xmin}");
        }
        if (schema["exclusiveMaximum"] is { } xmax && number >= xmax.GetValue<decimal>())
        {
            errors.Add($"{path}: {number} is not below {xmax}");
        }
    }

    private static bool IsOfType(JsonNode? value, string type) => (value, type) switch
    {
        (null, "null") => true,
        (JsonObject, "object") => true,
        (JsonArray, "array") => true,
        (JsonValue v, "string") => v.GetValueKind() == JsonValueKind.String,
        (JsonValue v, "boolean") => v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        (JsonValue v, "number") => v.GetValueKind() == JsonValueKind.Number,
        (JsonValue v, "integer") => v.GetValueKind() == JsonValueKind.Number && decimal.IsInteger(v.GetValue<decimal>()),
        _ => false,
    };

    private JsonNode Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Only local references are supported, not '{reference}'.");
        }
        JsonNode? node = document;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }
        return node ?? throw new InvalidOperationException($"The document has no '{reference}'.");
    }

    private static string Describe(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 80 ? text[..80] + "…" : text;
    }
}
