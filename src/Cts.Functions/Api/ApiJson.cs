using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cts.Functions.Api;

/// <summary>The API's JSON conventions: camelCase, enums as strings, and strict reading of whatever a client sends.</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // Numbers are JSON numbers ("3", not 3, is refused), and the OpenAPI document says integer, not integer-or-string.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    /// <summary>
    /// For request bodies and backups: as <see cref="Configure"/>, and names match case-sensitively (<c>Name</c> is not
    /// <c>name</c>), numbers must be JSON numbers (<c>"3"</c> is a string), a field the API does not know is an error.
    /// <see cref="StrictJson"/> checks all of that per field before this deserializes.
    /// </summary>
    public static readonly JsonSerializerOptions Strict = CreateStrict();

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
