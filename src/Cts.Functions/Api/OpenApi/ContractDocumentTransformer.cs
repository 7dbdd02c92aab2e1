using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cts.Functions.Api.OpenApi;

/// <summary>The document as a whole: title and description, servers without a trailing slash, tags, shared components.</summary>
internal sealed class ContractDocumentTransformer : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Engines"] = "One durable trade engine per connection: status, status-all and lifecycle actions (SPEC §3, §4).",
        ["Connections"] = "Exchange connections: the configuration an engine runs with; enable and disable.",
        ["Positions"] = "Positions opened by the engines, open and closed; an operator's forced close.",
        ["Presets"] = "Strategy, risk and cycle intervals shared by connections.",
        ["Settings"] = "The one settings document: retries, timeouts, monitoring, retention.",
        ["Audit"] = "Who did what, when, from which state to which.",
        ["Backups"] = "Configuration export, import, snapshots and restore.",
        ["Archive"] = "History moved out of the tables by the retention job.",
        ["Live"] = "Server-sent events of the whole cluster.",
        ["Legacy aliases"] = "The old system's routes, kept for existing clients; same semantics as the engines API.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "CTS trade-engine API",
            Version = "v1",
            Description = "Runs one automated trade engine per exchange connection. Every request but the health checks sends an API "
                + "key in `X-Api-Key`; errors are RFC 9457 problem documents (`application/problem+json`). Writes to a resource with "
                + "an `ETag` take `If-Match` (412 when stale).",
            License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
        };
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        ContractComponents.AddTo(document);

        var used = (document.Paths ?? new OpenApiPaths()).Values
            .SelectMany(path => path.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(operation => operation.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(tag => tag.Name)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(used.Order(StringComparer.Ordinal).Select(name => new OpenApiTag
        {
            Name = name,
            Description = TagDescriptions.GetValueOrDefault(name, name),
        }));
        return Task.CompletedTask;
    }
}
