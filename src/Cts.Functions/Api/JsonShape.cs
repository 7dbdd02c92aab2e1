using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cts.Domain.Config;

namespace Cts.Functions.Api;

/// <summary>
/// Checks a JSON value against the shape a request type has on the wire (camelCase, case-sensitive names) before it is
/// deserialized, and reports every problem per field: unknown and duplicate properties, strings where numbers belong,
/// fractions where integers belong, nulls where a value is needed. Messages speak JSON ("must be an integer"), never
/// the .NET type behind it.
/// </summary>
public static class JsonShape
{
    /// <summary>
    /// Adds the errors of <paramref name="element"/> as a <paramref name="type"/> to <paramref name="errors"/>, under
    /// <paramref name="path"/>. With <paramref name="mergePatch"/>, object members may be null (RFC 7396: remove).
    /// </summary>
    public static void Check(JsonElement element, Type type, JsonSerializerOptions options, string path, FieldErrors errors, bool mergePatch = false)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var target = underlying ?? type;
        if (element.ValueKind == JsonValueKind.Null)
        {
            if (!mergePatch && underlying is null && type.IsValueType)
            {
                errors.Add(Name(path), $"must not be null ({Expected(target, options)})");
            }
            return;
        }
        if (!Matches(element, target, options))
        {
            errors.Add(Name(path), Expected(target, options) is var expected && IsInteger(target) && element.ValueKind == JsonValueKind.Number
                && element.TryGetDecimal(out var d) && decimal.Truncate(d) == d
                    ? $"{expected} between {MinOf(target)} and {MaxOf(target)}"
                    : expected);
            return;
        }
        if (IsScalar(target))
        {
            return;
        }
        var info = options.GetTypeInfo(target);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Check(item, info.ElementType!, options, $"{path}[{index++}]", errors);
                }
                break;
            case JsonTypeInfoKind.Object:
                CheckObject(element, info, options, path, errors, mergePatch);
                break;
            case JsonTypeInfoKind.Dictionary:
                foreach (var member in element.EnumerateObject())
                {
                    Check(member.Value, info.ElementType!, options, Join(path, member.Name), errors);
                }
                break;
        }
    }

    private static void CheckObject(JsonElement element, JsonTypeInfo info, JsonSerializerOptions options, string path, FieldErrors errors, bool mergePatch)
    {
        var properties = info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null)
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var field = Join(path, member.Name);
            if (!seen.Add(member.Name))
            {
                errors.Add(field, "appears more than once");
                continue;
            }
            if (!properties.TryGetValue(member.Name, out var property))
            {
                var near = properties.Keys.FirstOrDefault(k => string.Equals(k, member.Name, StringComparison.OrdinalIgnoreCase));
                errors.Add(field, near is null ? "unknown field" : $"unknown field (names are case-sensitive: did you mean '{near}'?)");
                continue;
            }
            Check(member.Value, property.PropertyType, options, field, errors, mergePatch);
        }
    }

    private static bool Matches(JsonElement element, Type type, JsonSerializerOptions options)
    {
        if (type == typeof(string)) return element.ValueKind == JsonValueKind.String;
        if (type == typeof(bool)) return element.ValueKind is JsonValueKind.True or JsonValueKind.False;
        if (type == typeof(int)) return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out _);
        if (type == typeof(long)) return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out _);
        if (type == typeof(decimal)) return element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out _);
        if (type == typeof(double)) return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var v) && double.IsFinite(v);
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return element.ValueKind == JsonValueKind.String && element.TryGetDateTimeOffset(out _);
        if (type.IsEnum) return element.ValueKind == JsonValueKind.String && EnumNames(type, options).Contains(element.GetString(), StringComparer.Ordinal);
        return options.GetTypeInfo(type).Kind switch
        {
            JsonTypeInfoKind.Enumerable => element.ValueKind == JsonValueKind.Array,
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => element.ValueKind == JsonValueKind.Object,
            _ => true, // a type with a converter of its own: its deserializer judges it
        };
    }

    /// <summary>What a value of <paramref name="type"/> looks like in JSON, for messages.</summary>
    public static string Expected(Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "must be a string";
        if (type == typeof(bool)) return "must be true or false";
        if (IsInteger(type)) return "must be an integer";
        if (type == typeof(decimal) || type == typeof(double)) return "must be a number";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z";
        if (type.IsEnum) return $"must be one of: {string.Join(", ", EnumNames(type, options))}";
        return options.GetTypeInfo(type).Kind switch
        {
            JsonTypeInfoKind.Enumerable => "must be an array",
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "must be an object",
            _ => "is not valid",
        };
    }

    private static bool IsInteger(Type type) => type == typeof(int) || type == typeof(long);

    private static bool IsScalar(Type type) => type == typeof(string) || type == typeof(bool) || IsInteger(type) || type == typeof(decimal)
        || type == typeof(double) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type.IsEnum;

    private static string MinOf(Type type) => type == typeof(int) ? int.MinValue.ToString() : long.MinValue.ToString();

    private static string MaxOf(Type type) => type == typeof(int) ? int.MaxValue.ToString() : long.MaxValue.ToString();

    private static IEnumerable<string> EnumNames(Type type, JsonSerializerOptions options) =>
        Enum.GetNames(type).Select(n => options.PropertyNamingPolicy?.ConvertName(n) ?? n);

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Name(string path) => path.Length == 0 ? "body" : path;
}
