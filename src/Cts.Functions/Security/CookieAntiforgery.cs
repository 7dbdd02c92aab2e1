using Microsoft.AspNetCore.Antiforgery;

namespace Cts.Functions.Security;

/// <summary>
/// A state-changing request (POST, PUT, PATCH, DELETE) that is authenticated only by the session cookie must send the
/// antiforgery token from <c>GET /api/session</c> in <c>X-CSRF-TOKEN</c> (or a form field), else it is a 403 problem
/// and nothing runs. Requests with <c>X-Api-Key</c> need none: a browser never adds that header on its own. The
/// sign-in form itself is exempt (it has no session yet); it refuses posts from other origins instead.
/// </summary>
public static class CookieAntiforgery
{
    public static IApplicationBuilder UseCookieAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (IsStateChanging(request.Method)
            && !request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header)
            && context.User.Identity is { IsAuthenticated: true, AuthenticationType: BrowserSession.SchemeName }
            && !request.Path.StartsWithSegments(BrowserSession.SignInPath, StringComparison.OrdinalIgnoreCase))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Refused(context).ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    });

    private static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static IResult Refused(HttpContext context) => Results.Problem(
        title: "Antiforgery token required",
        detail: $"A request signed in by the session cookie must send the token from GET /api/session in the {BrowserSession.AntiforgeryHeader} header.",
        statusCode: StatusCodes.Status403Forbidden,
        type: "https://cts.dev/problems/antiforgery");
}
