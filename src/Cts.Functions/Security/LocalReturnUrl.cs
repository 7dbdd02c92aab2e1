namespace Cts.Functions.Security;

/// <summary>
/// Where the sign-in page may send a browser afterwards: a path on this host only. Anything else (an absolute URL,
/// a scheme-relative <c>//host</c> or <c>/\host</c>, control characters) falls back to the live page, so the sign-in
/// page cannot be used to bounce a user to another site.
/// </summary>
public static class LocalReturnUrl
{
    public const string Default = "/";

    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url.Length <= 2048
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(c => char.IsControl(c) || c == '\\');

    public static string OrDefault(string? url) => IsLocal(url) ? url! : Default;
}
