using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Cts.Functions.Security;

/// <summary>
/// Browser sessions: <c>POST /signin</c> exchanges an API key for the <c>cts-session</c> cookie, which carries the key's
/// name and role (never the key), encrypted with the Data Protection key ring. HttpOnly, SameSite=Strict, Secure on
/// https, valid for 8 h and renewed while used. A session whose key has since been removed from configuration, or whose
/// role changed, ends at its next request.
/// </summary>
public static class BrowserSession
{
    public const string SchemeName = "Session";

    /// <summary>The default scheme: <c>X-Api-Key</c> when the request sends one, else the session cookie.</summary>
    public const string ApiKeyOrSession = "ApiKeyOrSession";

    public const string CookieName = "cts-session";
    public const string AntiforgeryCookieName = "cts-csrf";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";
    public const string ReturnUrlParameter = "returnUrl";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static string SelectScheme(HttpContext context) =>
        context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header) ? ApiKeyAuthenticationHandler.SchemeName : SchemeName;

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = "/";
        options.ExpireTimeSpan = Lifetime;
        options.SlidingExpiration = true;
        options.LoginPath = SignInPath;
        options.ReturnUrlParameter = ReturnUrlParameter;
        options.Events.OnValidatePrincipal = ValidateAsync;
        options.Events.OnRedirectToLogin = ChallengeAsync;
        options.Events.OnRedirectToAccessDenied = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden);
        // Sign-out and return URLs are handled by the sign-in endpoints themselves.
        options.Events.OnRedirectToLogout = context =>
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        };
    }

    /// <summary>The identity a session (or an API key) stands for: the key's name and role.</summary>
    public static ClaimsPrincipal Principal(ApiKeyEntry entry, string scheme) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, entry.Name), new Claim(ClaimTypes.Role, entry.Role)], scheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>The highest role the caller holds, or null.</summary>
    public static string? RoleOf(ClaimsPrincipal user) => Roles.All.LastOrDefault(user.IsInRole);

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyRing>();
        var name = context.Principal?.Identity?.Name;
        var role = context.Principal is null ? null : RoleOf(context.Principal);
        if (name is null || role is null || !keys.Has(name, role))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SchemeName);
        }
    }

    /// <summary>A page opened without a session goes to the sign-in page; anything else is a 401 problem.</summary>
    private static Task ChallengeAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        if (BrowserPages.IsPageNavigation(http.Request))
        {
            var back = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
            http.Response.Redirect($"{http.Request.PathBase}{SignInPath}?{ReturnUrlParameter}={Uri.EscapeDataString(back)}");
            return Task.CompletedTask;
        }
        return WriteProblemAsync(http, StatusCodes.Status401Unauthorized);
    }

    private static Task WriteProblemAsync(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = ApiKeyAuthenticationHandler.SchemeName;
            return Results.Problem(title: "Authentication required",
                detail: $"Send a valid API key in the {ApiKeyAuthenticationHandler.Header} header, or sign in at {SignInPath}.",
                statusCode: status, type: "https://cts.dev/problems/unauthorized").ExecuteAsync(http);
        }
        return Results.Problem(title: "Role too low", detail: "This session's role does not allow this request.",
            statusCode: status, type: "https://cts.dev/problems/forbidden").ExecuteAsync(http);
    }
}
