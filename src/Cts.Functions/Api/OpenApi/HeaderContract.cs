namespace Cts.Functions.Api.OpenApi;

/// <summary>
/// The HTTP headers an operation takes or sends beyond the ones every operation has (<c>X-Api-Key</c>,
/// <c>X-Correlation-Id</c>), declared in the route table and written into the OpenAPI document by
/// <see cref="ContractOperationTransformer"/>.
/// </summary>
[Flags]
public enum HeaderContract
{
    None = 0,

    /// <summary>Successful responses carry an <c>ETag</c>.</summary>
    ETag = 1,

    /// <summary>The request may send <c>If-Match</c> (a list of ETags or <c>*</c>); a stale one is 412.</summary>
    IfMatch = 2,

    /// <summary>The request may send <c>If-None-Match</c>; a current one is 304 with no body.</summary>
    IfNoneMatch = 4,

    /// <summary>The request may send <c>Last-Event-ID</c> to resume a server-sent event stream.</summary>
    LastEventId = 8,
}

/// <summary>Endpoint metadata: the <see cref="HeaderContract"/> of one route.</summary>
public sealed record HeaderContractMetadata(HeaderContract Headers);
