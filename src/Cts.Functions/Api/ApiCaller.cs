using System.Text.RegularExpressions;

namespace Cts.Functions.Api;

/// <summary>Who is calling and under which correlation id, for the audit trail.</summary>
public static partial class ApiCaller
{
    public const string CorrelationHeader = "X-Correlation-Id";

    /// <summary>What a caller's correlation id must look like to be taken (and recorded); anything else is replaced.</summary>
    public const string CorrelationIdPattern = "^[A-Za-z0-9._-]{1,64}$";

    /// <summary>True when <paramref name="value"/> is a correlation id the host takes as it is.</summary>
    public static bool IsValidCorrelationId(string? value) => value is not null && CorrelationIdRegex().IsMatch(value);

    /// <summary>The caller's name as the audit records it: the API key's name once authenticated.</summary>
    public static string Actor(HttpContext context) => context.User.Identity?.Name ?? "anonymous";

    public static string CorrelationId(HttpContext context) =>
        context.Items.TryGetValue(CorrelationHeader, out var value) && value is string id ? id : context.TraceIdentifier;

    /// <summary>
    /// Takes the caller's <c>X-Correlation-Id</c> when it matches <see cref="CorrelationIdPattern"/> and echoes it on the
    /// response; a missing one, or one that does not match (markup, spaces, too long, several values), is replaced by a
    /// new id, which is echoed instead, so what the audit trail and the logs record is always safe to show.
    /// </summary>
    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var incoming = context.Request.Headers[CorrelationHeader];
        var id = incoming.Count == 1 && IsValidCorrelationId(incoming[0]) ? incoming[0]! : Guid.NewGuid().ToString("N");
        context.Items[CorrelationHeader] = id;
        context.Response.Headers[CorrelationHeader] = id;
        await next(context);
    });

    // "\z", not "$": "$" also matches before a final "\n".
    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CorrelationIdRegex();
}
