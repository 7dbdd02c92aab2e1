using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cts.Functions.Api.OpenApi;

/// <summary>Applies <see cref="ContractSchemas"/> to the schema of each API type as it is generated.</summary>
internal sealed class ContractSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is null)
        {
            ContractSchemas.Apply(context.JsonTypeInfo.Type, schema);
        }
        return Task.CompletedTask;
    }
}
