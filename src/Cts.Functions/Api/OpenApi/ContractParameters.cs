using System.Globalization;
using Cts.Domain.Connections;
using Cts.Functions.Retention;
using Microsoft.OpenApi;

namespace Cts.Functions.Api.OpenApi;

/// <summary>
/// Path and query parameters mean the same thing wherever they appear, so their schemas are given once, by name:
/// ids are slugs, <c>top</c> is a page size, <c>state</c> an engine state, and so on.
/// </summary>
public static class ContractParameters
{
    private static readonly Dictionary<string, Func<OpenApiSchema>> ByName = new(StringComparer.Ordinal)
    {
        ["id"] = Slug,
        ["connectionId"] = Slug,
        ["positionId"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = ContractSchemas.PositionIdPattern },
        ["top"] = () => new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "1",
            Maximum = EnginesApi.MaxTop.ToString(CultureInfo.InvariantCulture),
            Default = EnginesApi.DefaultTop,
        },
        ["state"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Enum = ContractSchemas.EngineStates },
        ["status"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Enum = ContractSchemas.PositionStatuses },
        ["kind"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Enum = ContractSchemas.Values(ArchiveStore.Kinds) },
        ["from"] = DateTime,
        ["to"] = DateTime,
        ["dryRun"] = () => new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = false },
        ["continuationToken"] = () => new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1024 },
        ["maxBars"] = () => new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "1",
            Maximum = Domain.Market.CandleBars.MaxBars.ToString(CultureInfo.InvariantCulture),
            Default = Domain.Market.CandleBars.MaxBars,
        },
    };

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["id"] = "The resource's id.",
        ["connectionId"] = "The connection's id (its engine has the same).",
        ["top"] = "Page size.",
        ["continuationToken"] = "From the previous page's `continuationToken`, for the next page.",
        ["from"] = "Only entries at or after this time.",
        ["to"] = "Only entries at or before this time.",
        ["dryRun"] = "Report what would change without writing anything.",
        ["maxBars"] = "At most this many bars; the interval grows to fit.",
    };

    /// <summary>Gives each known path or query parameter its schema (and a description when it has none).</summary>
    public static void Apply(OpenApiOperation operation)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.In is not (ParameterLocation.Path or ParameterLocation.Query) || parameter.Name is null)
            {
                continue;
            }
            if (ByName.TryGetValue(parameter.Name, out var schema))
            {
                parameter.Schema = schema();
            }
            if (string.IsNullOrEmpty(parameter.Description) && Descriptions.TryGetValue(parameter.Name, out var description))
            {
                parameter.Description = description;
            }
        }
    }

    private static OpenApiSchema Slug() => new() { Type = JsonSchemaType.String, Pattern = ConnectionId.Pattern };

    private static OpenApiSchema DateTime() => new() { Type = JsonSchemaType.String, Format = "date-time" };
}
