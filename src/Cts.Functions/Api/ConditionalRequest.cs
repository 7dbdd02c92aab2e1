namespace Cts.Functions.Api;

/// <summary>Reading <c>If-Match</c> for optimistic concurrency.</summary>
public static class ConditionalRequest
{
    /// <summary>The ETag the client says it last read, or null when it sent none (or <c>*</c>).</summary>
    public static string? IfMatch(HttpContext http)
    {
        var value = http.Request.Headers.IfMatch.ToString();
        return value.Length == 0 || value == "*" ? null : value;
    }
}
