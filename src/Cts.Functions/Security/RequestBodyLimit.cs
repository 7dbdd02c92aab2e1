using Microsoft.AspNetCore.Http.Metadata;

namespace Cts.Functions.Security;

/// <summary>
/// The largest request body a route takes: <see cref="SecurityExtensions.MaxRequestBodyBytes"/> (64 KiB) for every route
/// but those that declare their own with <see cref="SecurityExtensions.WithRequestBodyLimit"/> (the candle import). The
/// size-limit middleware, the body readers, the 413 problem and the contract's 413 all take it from here.
/// </summary>
/// <param name="Subject">What is limited, for the 413's detail: "Request bodies", "Candle imports".</param>
/// <param name="Hint">Appended to the 413's detail, e.g. what fits.</param>
public sealed record RequestBodyLimit(long Bytes, string Subject = "Request bodies", string? Hint = null) : IRequestSizeLimitMetadata
{
    public static readonly RequestBodyLimit Default = new(SecurityExtensions.MaxRequestBodyBytes);

    long? IRequestSizeLimitMetadata.MaxRequestBodySize => Bytes;

    /// <summary>The limit of the endpoint routing chose for <paramref name="context"/>.</summary>
    public static RequestBodyLimit Of(HttpContext context) => Of(context?.GetEndpoint()?.Metadata);

    public static RequestBodyLimit Of(IEnumerable<object>? metadata) => metadata?.OfType<RequestBodyLimit>().LastOrDefault() ?? Default;

    /// <summary>"64 KiB", "64 MiB".</summary>
    public string Size => Bytes % (1024 * 1024) == 0 ? $"{Bytes / (1024 * 1024)} MiB" : $"{Bytes / 1024} KiB";

    /// <summary>The 413 problem for a body over this limit.</summary>
    public IResult TooLarge() => Results.Problem(
        title: "Request body too large", detail: $"{Subject} are limited to {Size}{Hint}.",
        statusCode: StatusCodes.Status413PayloadTooLarge, type: "https://cts.dev/problems/too-large");
}
