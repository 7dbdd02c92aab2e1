using System.Net;
using System.Text.RegularExpressions;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Security;

/// <summary>
/// Every response carries the strict Content-Security-Policy, <c>X-Content-Type-Options: nosniff</c> and
/// <c>Referrer-Policy: no-referrer</c>: API answers, problems of every kind, static files, pages, the dashboard and the
/// sign-in flow. And the pages this host serves have no inline script, style or event handler the policy would block.
/// </summary>
public sealed partial class SecurityHeadersTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    public const string ExpectedPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    [Fact]
    public async Task Every_kind_of_response_carries_the_security_headers()
    {
        using var anonymous = new BrowserClient(Host);
        using var admin = new BrowserClient(Host);
        await admin.SignedInAsync(TestKeys.Admin);
        using var viewer = Host.CreateClient(Roles.Viewer);
        using var unknownKey = Host.CreateClient();
        unknownKey.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, "not-a-key");

        var responses = new List<(string What, HttpResponseMessage Response)>
        {
            ("API 200", await Client.GetAsync("/api/engines")),
            ("API 201", await Client.PostJsonAsync("/api/connections", """{"id":"hdr-1","name":"h","exchange":"paper","symbols":["BTCUSDT"]}""")),
            ("API 400", await Client.PostJsonAsync("/api/connections", """{"id":"Not Valid"}""")),
            ("API 401 without a key", await anonymous.GetAsync("/api/engines")),
            ("API 401 with an unknown key", await unknownKey.GetAsync("/api/engines")),
            ("API 403", await viewer.PostAsync("/api/connections/hdr-1/enable", null)),
            ("API 404", await Client.GetAsync("/api/connections/nope")),
            ("API 413", await Client.PostJsonAsync("/api/connections", new string(' ', 70_000))),
            ("unknown path", await Client.GetAsync("/no/such/path")),
            ("health", await anonymous.GetAsync("/health/live")),
            ("static script", await anonymous.GetAsync("/live.js")),
            ("static style", await anonymous.GetAsync("/live.css")),
            ("live page", await admin.NavigateAsync("/")),
            ("page redirect to sign-in", await anonymous.NavigateAsync("/")),
            ("sign-in page", await anonymous.NavigateAsync("/signin")),
            ("sign-in post", await anonymous.SignInAsync(TestKeys.Viewer)),
            ("session", await admin.GetAsync("/api/session")),
            ("antiforgery refusal", await admin.PostJsonAsync("/api/connections", new { id = "x" })),
            ("API docs page", await admin.NavigateAsync("/api-docs")),
            ("OpenAPI document", await viewer.GetAsync("/openapi/v1.json")),
            ("metrics", await viewer.GetAsync("/metrics")),
            ("dashboard", await admin.NavigateAsync("/dashboard/")),
            ("dashboard redirect", await admin.NavigateAsync("/dashboard")),
            ("dashboard style", await admin.GetAsync("/dashboard/index.css")),
            ("dashboard font", await admin.GetAsync("/dashboard/cts-fonts/0.woff2")),
            ("dashboard script", await admin.GetAsync("/dashboard/index.min.js")),
            ("dashboard data", await admin.GetAsync("/dashboard/DashboardCounters")),
            ("dashboard 400", await admin.GetAsync("/dashboard/SiloProperties/not-a-silo")),
        };

        foreach (var (what, response) in responses)
        {
            Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{what} ({(int)response.StatusCode}): no CSP");
            Assert.Equal(ExpectedPolicy, Assert.Single(csp));
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff), $"{what}: no X-Content-Type-Options");
            Assert.Equal("nosniff", Assert.Single(nosniff));
            Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer), $"{what}: no Referrer-Policy");
            Assert.Equal("no-referrer", Assert.Single(referrer));
        }
        // The list covers what it says it covers.
        Assert.Contains(responses, r => r.Response.StatusCode == HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains(responses, r => r.What == "dashboard" && r.Response.StatusCode == HttpStatusCode.OK);
        Assert.Contains(responses, r => r.What == "dashboard font" && r.Response.StatusCode == HttpStatusCode.OK);
        Assert.Contains(responses, r => r.What == "antiforgery refusal" && r.Response.StatusCode == HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/signin")]
    [InlineData("/api-docs")]
    [InlineData("/dashboard/")]
    public async Task Pages_have_no_inline_script_style_or_event_handler(string page)
    {
        using var admin = new BrowserClient(Host);
        await admin.SignedInAsync(TestKeys.Admin);

        var response = await admin.NavigateAsync(page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoInlineCode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_dashboard_style_sheet_loads_its_fonts_from_files_not_data_urls()
    {
        using var admin = new BrowserClient(Host);
        await admin.SignedInAsync(TestKeys.Admin);

        var css = await (await admin.GetAsync("/dashboard/index.css")).Content.ReadAsStringAsync();

        Assert.Contains("@font-face", css, StringComparison.Ordinal);
        Assert.DoesNotContain("url(data:font", css, StringComparison.Ordinal);
        Assert.Contains("url(./cts-fonts/0.woff2)", css, StringComparison.Ordinal);
        var font = await admin.GetAsync("/dashboard/cts-fonts/0.woff2");
        Assert.Equal("font/woff2", font.Content.Headers.ContentType?.MediaType);
        Assert.Equal("wOF2"u8.ToArray(), (await font.Content.ReadAsByteArrayAsync())[..4]);
    }

    /// <summary>Nothing a strict policy would block: no script element without src, no style element or attribute, no on* handler, no javascript: URL.</summary>
    internal static void AssertNoInlineCode(string html)
    {
        foreach (Match script in ScriptElement().Matches(html))
        {
            Assert.True(script.Groups["attributes"].Value.Contains("src=", StringComparison.OrdinalIgnoreCase) && script.Groups["body"].Value.Trim().Length == 0,
                $"inline script: {script.Value}");
        }
        Assert.DoesNotMatch(StyleElement(), html);
        Assert.DoesNotMatch(StyleAttribute(), html);
        Assert.DoesNotMatch(EventHandler(), html);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"<script(?<attributes>[^>]*)>(?<body>.*?)</script>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptElement();

    [GeneratedRegex(@"<style[\s>]", RegexOptions.IgnoreCase)]
    private static partial Regex StyleElement();

    [GeneratedRegex(@"<[^>]+\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();
}
