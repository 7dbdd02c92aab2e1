using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cts.Functions.Api;

/// <summary>The API's JSON conventions: camelCase, enums as strings, and request bodies with unknown fields refused.</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // Numbers are JSON numbers ("3", not 3, is refused), and the OpenAPI document says integer, not integer-or-string.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }

    /// <summary>For request bodies: as <see cref="Configure"/>, and a field the API does not know is an error, not ignored.</summary>
    public static readonly JsonSerializerOptions Strict = CreateStrict();

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowTrailingCommas = false;
        return options;
    }
}
