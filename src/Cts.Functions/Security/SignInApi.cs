using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cts.Functions.Security;

/// <summary>
/// Browser sign-in (SPEC §4): the sign-in page, the form post that turns an API key into a session cookie, sign-out,
/// and <c>GET /api/session</c>, which tells a page who it is signed in as and hands it the antiforgery token its writes
/// must send. The form endpoints are for browsers and are not part of the API document; <c>/api/session</c> is.
/// </summary>
public static class SignInApi
{
    public const string SignInPage = "signin.html";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(BrowserSession.SignInPath, Page).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(BrowserSession.SignInPath, SignInAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapPost(BrowserSession.SignOutPath, SignOutAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapGet("/api/session", Session)
            .RequireViewer()
            .WithTags("Session")
            .WithName("getSession")
            .WithSummary("Who this request is signed in as, and the antiforgery token for cookie-authenticated writes")
            .WithDescription("Any role. Browsers signed in at /signin send the returned antiforgeryToken in the X-CSRF-TOKEN header "
                + "on POST, PUT, PATCH and DELETE; requests with X-Api-Key need none. expiresAt is the session cookie's expiry "
                + "(null for an API key); it moves forward while the session is used.")
            .Produces<SessionInfo>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    /// <summary>The static sign-in page; its script and style are files of their own (no inline code, see the CSP).</summary>
    public static IResult Page(IWebHostEnvironment environment, HttpContext http)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(SignInPage);
        if (!file.Exists || file.PhysicalPath is null)
        {
            return TypedResults.Problem(title: "Sign-in page missing", detail: "The web root has no sign-in page.", statusCode: StatusCodes.Status404NotFound);
        }
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.PhysicalFile(file.PhysicalPath, "text/html; charset=utf-8");
    }

    /// <summary>
    /// Form <c>apiKey</c> and optional <c>returnUrl</c> (local paths only). A good key sets the session cookie and goes
    /// to <c>returnUrl</c>; a bad one goes back to the sign-in page with <c>error=invalid-key</c>. Both are 303.
    /// </summary>
    public static async Task<IResult> SignInAsync(HttpContext http, ApiKeyRing keys, ILoggerFactory loggers)
    {
        if (!IsSameOrigin(http.Request))
        {
            return TypedResults.Problem(title: "Cross-site sign-in refused", detail: "Sign in from this host's own sign-in page.",
                statusCode: StatusCodes.Status403Forbidden, type: "https://cts.dev/problems/forbidden");
        }
        if (!http.Request.HasFormContentType)
        {
            return TypedResults.Problem(title: "Unsupported media type", detail: "Post the sign-in form as application/x-www-form-urlencoded.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, type: "https://cts.dev/problems/unsupported-media-type");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var returnUrl = LocalReturnUrl.OrDefault(form[BrowserSession.ReturnUrlParameter].ToString());
        var presented = form["apiKey"].ToString();
        var entry = presented.Length == 0 ? null : keys.Find(presented);
        var log = loggers.CreateLogger(typeof(SignInApi).FullName!);
        if (entry is null)
        {
            log.LogInformation("Browser sign-in refused: unknown API key");
            return SeeOther(http, $"{BrowserSession.SignInPath}?error=invalid-key&{BrowserSession.ReturnUrlParameter}={Uri.EscapeDataString(returnUrl)}");
        }
        await http.SignInAsync(BrowserSession.SchemeName, BrowserSession.Principal(entry, BrowserSession.SchemeName),
            new AuthenticationProperties { IsPersistent = true, AllowRefresh = true });
        log.LogInformation("Browser signed in as {Name} ({Role})", entry.Name, entry.Role);
        return SeeOther(http, returnUrl);
    }

    /// <summary>Ends the session (a cookie-authenticated sign-out must send the antiforgery token) and goes to the sign-in page.</summary>
    public static async Task<IResult> SignOutAsync(HttpContext http, ILoggerFactory loggers)
    {
        if (http.User.Identity is { IsAuthenticated: true, Name: { } name })
        {
            loggers.CreateLogger(typeof(SignInApi).FullName!).LogInformation("Browser session of {Name} signed out", name);
        }
        await http.SignOutAsync(BrowserSession.SchemeName);
        return SeeOther(http, BrowserSession.SignInPath);
    }

    public static Ok<SessionInfo> Session(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var result = http.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
        var bySession = http.User.Identity?.AuthenticationType == BrowserSession.SchemeName;
        return TypedResults.Ok(new SessionInfo(
            http.User.Identity?.Name ?? "",
            BrowserSession.RoleOf(http.User) ?? Roles.Viewer,
            tokens.RequestToken ?? "",
            BrowserSession.AntiforgeryHeader,
            bySession ? result?.Properties?.ExpiresUtc : null));
    }

    private static IResult SeeOther(HttpContext http, string location)
    {
        http.Response.Headers.Location = location;
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>
    /// Refuses a post another site made a browser send. Browsers say where a request comes from in
    /// <c>Sec-Fetch-Site</c>; the <c>Origin</c> of a form post is <c>null</c> under <c>Referrer-Policy: no-referrer</c>,
    /// so only an Origin naming another host counts against it. Clients that send neither (curl, tests) are let through:
    /// they are not a browser that could be tricked.
    /// </summary>
    private static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || origin == "null")
        {
            return true;
        }
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The body of <c>GET /api/session</c>.</summary>
/// <param name="Name">The API key's name (the audit actor).</param>
/// <param name="Role"><c>viewer</c>, <c>operator</c> or <c>admin</c>.</param>
/// <param name="AntiforgeryToken">Send in <see cref="AntiforgeryHeader"/> on cookie-authenticated writes.</param>
/// <param name="AntiforgeryHeader">Always <c>X-CSRF-TOKEN</c>.</param>
/// <param name="ExpiresAt">When the session cookie expires unless used; null for an API key.</param>
public sealed record SessionInfo(string Name, string Role, string AntiforgeryToken, string AntiforgeryHeader, DateTimeOffset? ExpiresAt);
