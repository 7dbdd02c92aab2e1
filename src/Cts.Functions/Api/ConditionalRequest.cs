using Cts.Functions.Config;

namespace Cts.Functions.Api;

/// <summary>Reading the conditional headers (RFC 9110 §13): <c>If-Match</c> for writes, <c>If-None-Match</c> for reads.</summary>
public static class ConditionalRequest
{
    /// <summary>
    /// The <c>If-Match</c> header as sent (a list of entity tags, or <c>*</c>), or null when there is none; services judge
    /// it with <see cref="EntityTags.IfMatchAllows"/>.
    /// </summary>
    public static string? IfMatch(HttpContext http)
    {
        var value = http.Request.Headers.IfMatch.ToString();
        return value.Length == 0 ? null : value;
    }

    /// <summary>True when the client already has the representation tagged <paramref name="etag"/> (answer 304).</summary>
    public static bool NotModified(HttpContext http, string etag) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && EntityTags.IfNoneMatchHits(http.Request.Headers.IfNoneMatch.ToString(), etag);
}
