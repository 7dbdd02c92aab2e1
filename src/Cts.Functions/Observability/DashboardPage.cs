using System.Text;
using System.Text.RegularExpressions;

namespace Cts.Functions.Observability;

/// <summary>
/// The Orleans dashboard's page and style sheet as this host serves them: the package's own files, minus the two
/// things the strict CSP blocks — a <c>style="…"</c> attribute on its loading placeholder, and one icon font inlined in
/// the style sheet as a <c>data:</c> URL. The attribute is dropped (it only pads "Loading…"); the font is served as a
/// file of its own under <c>/dashboard/cts-fonts/</c>. Everything else (script, data endpoints) is the package's.
/// </summary>
internal static partial class DashboardPage
{
    private const string ResourcePrefix = "Orleans.Dashboard.wwwroot.";
    public const string FontsFolder = "cts-fonts";

    private static readonly Lazy<Assets> Patched = new(Load);

    public static string Html => Patched.Value.Html;

    public static string Css => Patched.Value.Css;

    public static byte[]? Font(int index) => index >= 0 && index < Patched.Value.Fonts.Count ? Patched.Value.Fonts[index] : null;

    /// <summary>Maps the patched files in front of the dashboard's own (a lower order wins over its routes).</summary>
    public static void Map(IEndpointRouteBuilder app, string prefix, Action<IEndpointConventionBuilder> secure)
    {
        secure(app.MapGet(prefix, (HttpContext http) =>
        {
            // The page loads ./index.min.js: it must be addressed as a folder.
            if (!(http.Request.Path.Value ?? "").EndsWith('/'))
            {
                return Results.Redirect(http.Request.PathBase + prefix + "/" + http.Request.QueryString);
            }
            return Results.Content(Html, "text/html; charset=utf-8");
        }).WithOrder(-1));
        secure(app.MapGet(prefix + "/index.html", () => Results.Content(Html, "text/html; charset=utf-8")).WithOrder(-1));
        secure(app.MapGet(prefix + "/index.css", () => Results.Content(Css, "text/css; charset=utf-8")).WithOrder(-1));
        secure(app.MapGet(prefix + "/" + FontsFolder + "/{index:int}.woff2", (int index) =>
            Font(index) is { } font ? Results.Bytes(font, "font/woff2") : Results.NotFound()).WithOrder(-1));
    }

    private static Assets Load()
    {
        var assembly = typeof(Orleans.Dashboard.DashboardOptions).Assembly;
        var html = StyleAttribute().Replace(Read(assembly, "index.html"), "");
        var fonts = new List<byte[]>();
        var css = DataFont().Replace(Read(assembly, "index.css"), match =>
        {
            fonts.Add(Convert.FromBase64String(match.Groups["base64"].Value));
            return $"url(./{FontsFolder}/{fonts.Count - 1}.woff2)";
        });
        return new Assets(html, css, fonts);
    }

    private static string Read(System.Reflection.Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The Orleans dashboard package has no {name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed record Assets(string Html, string Css, IReadOnlyList<byte[]> Fonts);

    [GeneratedRegex(@"\s+style\s*=\s*""[^""]*""", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex(@"url\(\s*[""']?data:font/woff2;base64,(?<base64>[A-Za-z0-9+/=]+)[""']?\s*\)")]
    private static partial Regex DataFont();
}
