namespace Cts.Functions.Security;

/// <summary>
/// The headers every response carries (SPEC §4), whatever produced it: API, static file, page, dashboard or error.
/// The policy allows only this origin's own script, style, images (and data: images), fetches and fonts: no inline
/// script or style, no eval, no plugins, no framing, and forms post only here. So a value that ever reached a page as
/// markup still could not run.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string ContentTypeOptions = "nosniff";

    public const string ReferrerPolicy = "no-referrer";

    /// <summary>
    /// First in the pipeline. The headers are written when the response starts, so a response that an error handler
    /// cleared and rewrote carries them too.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = ContentTypeOptions;
            headers["Referrer-Policy"] = ReferrerPolicy;
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    });
}
