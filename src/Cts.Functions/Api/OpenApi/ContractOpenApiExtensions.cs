using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cts.Functions.Api.OpenApi;

/// <summary>Registers the OpenAPI document (<c>/openapi/v1.json</c>, OpenAPI 3.1) with the contract's transformers.</summary>
public static class ContractOpenApiExtensions
{
    public static IServiceCollection AddCtsOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1;
        // The two problem shapes have one name each, whichever .NET type a handler returns them as.
        options.CreateSchemaReferenceId = type => type.Type == typeof(ProblemDetails) ? ContractComponents.Problem
            : type.Type == typeof(HttpValidationProblemDetails) || type.Type == typeof(ValidationProblem) ? ContractComponents.ValidationProblem
            : Microsoft.AspNetCore.OpenApi.OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddSchemaTransformer<ContractSchemaTransformer>();
        options.AddOperationTransformer<ContractOperationTransformer>();
        options.AddDocumentTransformer<ContractDocumentTransformer>();
    });
}
