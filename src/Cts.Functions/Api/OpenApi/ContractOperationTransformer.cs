using Cts.Functions.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cts.Functions.Api.OpenApi;

/// <summary>
/// The cross-cutting part of every operation, derived from the route's metadata so route tables only declare what
/// is their own:
/// <list type="bullet">
/// <item>the API-key security requirement, the least role in the description, and 401/403 problems (from the role policy);</item>
/// <item>503 with <c>Retry-After</c> when storage is unreachable (every API operation);</item>
/// <item>413 (with the route's own body limit, <see cref="RequestBodyLimit"/>) and 415 for operations with a request body; 400 for operations with parameters (binding errors);</item>
/// <item>every error response as <c>application/problem+json</c> with the shared schemas;</item>
/// <item><c>X-Correlation-Id</c> on every request and response, and the headers of <see cref="HeaderContract"/>.</item>
/// </list>
/// </summary>
internal sealed class ContractOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer needs the document.");
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var headers = metadata.OfType<HeaderContractMetadata>().Aggregate(HeaderContract.None, (all, m) => all | m.Headers);
        operation.Responses ??= new OpenApiResponses();
        var responses = operation.Responses;

        var role = LeastRole(metadata);
        if (role is not null)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ContractComponents.SecurityScheme, document)] = [] }];
            operation.Description = Join(operation.Description, $"Requires the **{role}** role or higher (`X-Api-Key`).");
            responses.TryAdd("401", Problem(document, "No API key, or one the host does not know."));
            responses.TryAdd("403", Problem(document, $"The API key's role is below {role}."));
        }

        ContractParameters.Apply(operation);
        operation.Parameters ??= [];
        if ((operation.Parameters.Count > 0 || operation.RequestBody is not null) && !responses.ContainsKey("400"))
        {
            responses["400"] = Problem(document, "The request is not valid: `errors` says why, per field.", validation: true);
        }
        if (operation.RequestBody is not null)
        {
            if (operation.RequestBody is OpenApiRequestBody body)
            {
                body.Required = IsRequiredBody(metadata);
            }
            // The route's own limit where it has one (the candle import), else the default; a declared 413 gets the same words.
            responses["413"] = Problem(document, $"The body is larger than {RequestBodyLimit.Of(metadata).Size}.");
            responses.TryAdd("415", Problem(document, "The body is not `application/json`."));
        }
        if (!responses.ContainsKey("503"))
        {
            var unavailable = Problem(document, "Durable storage is unreachable; nothing was acknowledged. Retry after `Retry-After` seconds.");
            unavailable.Headers![ContractComponents.RetryAfterHeader] = new OpenApiHeaderReference(ContractComponents.RetryAfterHeader, document);
            responses["503"] = unavailable;
        }

        operation.Parameters.Add(new OpenApiParameterReference(ApiCaller.CorrelationHeader, document));
        if (headers.HasFlag(HeaderContract.IfMatch))
        {
            operation.Parameters.Add(new OpenApiParameterReference(ContractComponents.IfMatchHeader, document));
            responses.TryAdd("412", Problem(document, "If-Match did not match: the resource changed since it was read."));
        }
        if (headers.HasFlag(HeaderContract.IfNoneMatch))
        {
            operation.Parameters.Add(new OpenApiParameterReference(ContractComponents.IfNoneMatchHeader, document));
            responses.TryAdd("304", new OpenApiResponse { Description = "Not modified: If-None-Match names the current ETag." });
        }
        if (headers.HasFlag(HeaderContract.LastEventId))
        {
            operation.Parameters.Add(new OpenApiParameterReference(ContractComponents.LastEventIdHeader, document));
        }

        foreach (var (code, value) in responses)
        {
            if (value is not OpenApiResponse response)
            {
                continue;
            }
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[ApiCaller.CorrelationHeader] = new OpenApiHeaderReference(ApiCaller.CorrelationHeader, document);
            var status = int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
            if (headers.HasFlag(HeaderContract.ETag) && (status is >= 200 and < 300 and not 204 || status == 304))
            {
                response.Headers[ContractComponents.ETagHeader] = new OpenApiHeaderReference(ContractComponents.ETagHeader, document);
            }
            if (status >= 400)
            {
                response.Content = ContractComponents.ProblemContent(document, validation: status == 400);
            }
            if (string.IsNullOrEmpty(response.Description))
            {
                response.Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The least role the route's policies admit (viewer &lt; operator &lt; admin), or null for anonymous routes.</summary>
    internal static string? LeastRole(IList<object> metadata)
    {
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return null;
        }
        var ranks = metadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy)
            .Where(p => p is not null && Roles.All.Contains(p))
            .Select(p => Roles.All.ToList().IndexOf(p!))
            .ToList();
        // No policy at all: the fallback policy makes the route admin-only.
        return ranks.Count == 0 ? Roles.Admin : Roles.All[ranks.Max()];
    }

    private static bool IsRequiredBody(IList<object> metadata) =>
        metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().Any(a => !a.IsOptional);

    private static OpenApiResponse Problem(OpenApiDocument document, string description, bool validation = false) => new()
    {
        Description = description,
        Content = ContractComponents.ProblemContent(document, validation),
        Headers = new Dictionary<string, IOpenApiHeader>(),
    };

    private static string Join(string? first, string second) => string.IsNullOrEmpty(first) ? second : first + "\n\n" + second;
}
