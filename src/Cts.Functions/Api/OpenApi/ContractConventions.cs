namespace Cts.Functions.Api.OpenApi;

/// <summary>
/// Route-table helpers for the parts of the contract that ASP.NET Core has no built-in call for. A route declares
/// its operation like this (everything else, security, 401/403, 503, 413/415 and the correlation header, is added by
/// the transformers from the route's policy and body):
/// <code>
/// api.MapPut("/{id}", Replace).RequireAdmin()
///     .WithName("replaceConnection").WithSummary("Replace a connection")
///     .Accepts&lt;ConnectionRequest&gt;("application/json")
///     .Produces&lt;ConnectionView&gt;()
///     .ProducesProblems(404, 409, 412).ProducesValidationProblem()
///     .WithHeaders(HeaderContract.ETag | HeaderContract.IfMatch);
/// </code>
/// </summary>
public static class ContractConventions
{
    /// <summary>Declares the request and response headers of <see cref="HeaderContract"/> on this route.</summary>
    public static TBuilder WithHeaders<TBuilder>(this TBuilder builder, HeaderContract headers) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HeaderContractMetadata(headers));

    /// <summary>Declares problem responses (<c>application/problem+json</c>, the shared Problem schema) for each status code.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var status in statusCodes)
        {
            builder.ProducesProblem(status);
        }
        return builder;
    }
}
