namespace Cts.Functions.Security;

/// <summary>
/// Which requests are a browser opening a page, and the gate in front of the static pages: every HTML page of the web
/// root but the sign-in page needs a session (or an API key). Scripts, styles and images carry no data and stay
/// public, so the sign-in page can load its own.
/// </summary>
public static class BrowserPages
{
    /// <summary>The API, its description and the scrape endpoint answer with problems, never with a redirect.</summary>
    private static readonly string[] ApiPaths = ["/api", "/openapi", "/metrics", "/health"];

    /// <summary>A GET or HEAD that wants HTML, outside the API.</summary>
    public static bool IsPageNavigation(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase))
        && !ApiPaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>A request for an HTML page of the web root (<c>/</c> or <c>*.html</c>) other than the sign-in page.</summary>
    public static bool IsProtectedStaticPage(PathString path)
    {
        if (ApiPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        var value = path.Value ?? "/";
        if (value.EndsWith('/'))
        {
            return true; // a folder: the default file (index.html) is a page
        }
        return value.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
            && !value.Equals("/signin.html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>After authentication, before the static files: a page asked for without credentials is challenged.</summary>
    public static IApplicationBuilder UseBrowserPageGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && IsProtectedStaticPage(request.Path)
            && context.User.Identity?.IsAuthenticated != true)
        {
            await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.ChallengeAsync(context);
            return;
        }
        await next(context);
    });
}
