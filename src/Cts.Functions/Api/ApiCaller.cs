namespace Cts.Functions.Api;

/// <summary>Who is calling and under which correlation id, for the audit trail.</summary>
public static class ApiCaller
{
    public const string CorrelationHeader = "X-Correlation-Id";

    /// <summary>The caller's name as the audit records it: the API key's name once authenticated.</summary>
    public static string Actor(HttpContext context) => context.User.Identity?.Name ?? "anonymous";

    public static string CorrelationId(HttpContext context) =>
        context.Items.TryGetValue(CorrelationHeader, out var value) && value is string id ? id : context.TraceIdentifier;

    /// <summary>Takes the caller's <c>X-Correlation-Id</c> (or makes one) and echoes it on the response.</summary>
    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var incoming = context.Request.Headers[CorrelationHeader].ToString();
        var id = incoming.Length is > 0 and <= 128 ? incoming : Guid.NewGuid().ToString("N");
        context.Items[CorrelationHeader] = id;
        context.Response.Headers[CorrelationHeader] = id;
        await next(context);
    });
}
