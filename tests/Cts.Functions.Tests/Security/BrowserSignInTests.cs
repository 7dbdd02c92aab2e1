using System.Net;
using System.Security.Claims;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Tests.Security;

/// <summary>
/// Browser sign-in (SPEC §4): an API key is exchanged at <c>POST /signin</c> for the <c>cts-session</c> cookie (HttpOnly,
/// SameSite=Strict, Secure on https, 8 h), which then opens the pages and the API with the key's role; cookie-only
/// writes need the antiforgery token from <c>/api/session</c>, API-key writes do not; pages opened without a session
/// go to the sign-in page, API calls stay 401 problems; the return URL never leaves the host.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class BrowserSignInTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task A_good_key_sets_an_HttpOnly_SameSite_Strict_session_cookie_for_8_hours_that_holds_the_name_and_role_but_not_the_key()
    {
        using var browser = new BrowserClient(Host);
        var before = DateTimeOffset.UtcNow;

        var response = await browser.SignInAsync(TestKeys.Operator, "/api-docs");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/api-docs", response.Headers.Location?.OriginalString);
        var cookie = BrowserClient.SessionCookie(response);
        Assert.NotNull(cookie);
        Assert.True(cookie.HttpOnly, "HttpOnly");
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, cookie.SameSite);
        Assert.False(cookie.Secure, "not Secure on plain http (the browser would drop it)");
        Assert.Equal("/", cookie.Path.Value);
        Assert.NotNull(cookie.Expires);
        Assert.InRange(cookie.Expires.Value, before.AddHours(8).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(8).AddMinutes(1));

        // The cookie is the ticket, encrypted with the key ring: it names the key and its role, and nothing else.
        var format = Host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(BrowserSession.SchemeName).TicketDataFormat;
        var ticket = format.Unprotect(cookie.Value.Value);
        Assert.NotNull(ticket);
        var claims = ticket.Principal.Claims.Select(c => (c.Type, c.Value)).ToHashSet();
        Assert.Equal([(ClaimTypes.Name, "test-operator"), (ClaimTypes.Role, Roles.Operator)], claims);
        Assert.DoesNotContain(TestKeys.Operator, cookie.Value.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(ticket.Properties.Items.Values, v => v?.Contains(TestKeys.Operator, StringComparison.Ordinal) == true);

        var session = await browser.SessionAsync();
        Assert.Equal("test-operator", session["name"]!.GetValue<string>());
        Assert.Equal(Roles.Operator, session["role"]!.GetValue<string>());
        Assert.Equal(BrowserSession.AntiforgeryHeader, session["antiforgeryHeader"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(session["antiforgeryToken"]!.GetValue<string>()));
        Assert.Equal(cookie.Expires.Value, session["expiresAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Over_https_the_session_cookie_is_Secure()
    {
        using var browser = new BrowserClient(Host, https: true);

        var response = await browser.SignInAsync(TestKeys.Viewer);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.True(BrowserClient.SessionCookie(response)!.Secure, "Secure on https");
        Assert.True((await browser.SessionAsync())["role"]!.GetValue<string>() == Roles.Viewer);
    }

    [Theory]
    [InlineData("not-a-configured-key")]
    [InlineData("")]
    public async Task A_bad_key_goes_back_to_the_sign_in_page_with_an_error_and_no_cookie(string key)
    {
        using var browser = new BrowserClient(Host);

        var response = await browser.SignInAsync(key, "/dashboard");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/signin?error=invalid-key&returnUrl=%2Fdashboard", response.Headers.Location?.OriginalString);
        Assert.Null(BrowserClient.SessionCookie(response));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/session")).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/path")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("/\t/evil.example")]
    public async Task The_return_url_never_leaves_the_host(string returnUrl)
    {
        using var browser = new BrowserClient(Host);

        var response = await browser.SignInAsync(TestKeys.Viewer, returnUrl);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_local_return_url_with_a_query_is_kept()
    {
        using var browser = new BrowserClient(Host);

        var response = await browser.SignInAsync(TestKeys.Viewer, "/api-docs?tag=Engines");

        Assert.Equal("/api-docs?tag=Engines", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task A_sign_in_posted_from_another_site_is_refused(string header, string value)
    {
        using var browser = new BrowserClient(Host);

        var response = await browser.SignInAsync(TestKeys.Admin, configure: r => r.Headers.Add(header, value));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(BrowserClient.SessionCookie(response));
    }

    [Theory]
    [InlineData("/", "/signin?returnUrl=%2F")]
    [InlineData("/index.html", "/signin?returnUrl=%2Findex.html")]
    [InlineData("/dashboard", "/signin?returnUrl=%2Fdashboard")]
    [InlineData("/api-docs?x=1", "/signin?returnUrl=%2Fapi-docs%3Fx%3D1")]
    public async Task A_page_opened_without_a_session_redirects_to_the_sign_in_page(string page, string signIn)
    {
        using var browser = new BrowserClient(Host);

        var response = await browser.NavigateAsync(page);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(signIn, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/api/engines", true)]
    [InlineData("/api/session", true)]
    [InlineData("/openapi/v1.json", true)]
    [InlineData("/", false)]
    [InlineData("/dashboard", false)]
    public async Task An_API_call_without_credentials_stays_a_401_problem(string url, bool asBrowserNavigation)
    {
        using var browser = new BrowserClient(Host);

        var response = asBrowserNavigation ? await browser.NavigateAsync(url) : await browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_sign_in_page_is_public_and_its_script_and_style_are_files()
    {
        using var browser = new BrowserClient(Host);

        var page = await browser.NavigateAsync("/signin");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form id=\"signin\" method=\"post\" action=\"/signin\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"apiKey\"", html, StringComparison.Ordinal);
        SecurityHeadersTests.AssertNoInlineCode(html);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/signin.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/signin.css")).StatusCode);
    }

    [Fact]
    public async Task After_sign_in_the_live_page_the_API_docs_and_for_an_admin_the_dashboard_open()
    {
        using var admin = new BrowserClient(Host);
        await admin.SignedInAsync(TestKeys.Admin);
        using var viewer = new BrowserClient(Host);
        await viewer.SignedInAsync(TestKeys.Viewer);

        // The dashboard is addressed as a folder (its page loads ./index.min.js).
        Assert.Equal("/dashboard/", (await admin.NavigateAsync("/dashboard")).Headers.Location?.OriginalString);
        foreach (var page in new[] { "/", "/api-docs", "/dashboard/" })
        {
            var response = await admin.NavigateAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page} as an admin session: {(int)response.StatusCode}");
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.NavigateAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.NavigateAsync("/api-docs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/engines")).StatusCode);
        // Roles still apply: the dashboard is for admins.
        var dashboard = await viewer.NavigateAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        Assert.Equal("application/problem+json", dashboard.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_write_on_the_session_cookie_alone_needs_the_antiforgery_token_and_one_with_an_API_key_does_not()
    {
        using var browser = new BrowserClient(Host);
        await browser.SignedInAsync(TestKeys.Admin);
        var body = (string id) => new { id, name = id, exchange = "paper", symbols = new[] { "BTCUSDT" } };

        var without = await browser.PostJsonAsync("/api/connections", body("csrf-none"));
        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        Assert.Equal("application/problem+json", without.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://cts.dev/problems/antiforgery", (await without.JsonAsync())!["type"]!.GetValue<string>());
        var forged = await browser.PostJsonAsync("/api/connections", body("csrf-forged"), antiforgeryToken: "CfDJ8-not-a-token");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/connections/csrf-none")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/connections/csrf-forged")).StatusCode);

        var token = (await browser.SessionAsync())["antiforgeryToken"]!.GetValue<string>();
        var with = await browser.PostJsonAsync("/api/connections", body("csrf-token"), antiforgeryToken: token);
        Assert.Equal(HttpStatusCode.Created, with.StatusCode);
        // The audit actor is the session's key name.
        var audit = await (await Client.GetAsync("/api/audit?connectionId=csrf-token")).JsonAsync();
        Assert.Contains(audit!["entries"]!.AsArray(), e => e!["actor"]!.GetValue<string>() == "test-admin");

        // Another session's token does not fit this one.
        using var other = new BrowserClient(Host);
        await other.SignedInAsync(TestKeys.Operator);
        var otherToken = (await other.SessionAsync())["antiforgeryToken"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostJsonAsync("/api/connections", body("csrf-other"), antiforgeryToken: otherToken)).StatusCode);

        using var apiClient = new BrowserClient(Host);
        var byKey = await apiClient.PostJsonAsync("/api/connections", body("csrf-key"), apiKey: TestKeys.Admin);
        Assert.Equal(HttpStatusCode.Created, byKey.StatusCode);
    }

    [Fact]
    public async Task Sign_out_needs_the_token_clears_the_cookie_and_goes_to_the_sign_in_page()
    {
        using var browser = new BrowserClient(Host);
        await browser.SignedInAsync(TestKeys.Viewer);

        var refused = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, BrowserSession.SignOutPath));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.True(browser.Cookies.ContainsKey(BrowserSession.CookieName));

        var token = (await browser.SessionAsync())["antiforgeryToken"]!.GetValue<string>();
        var request = new HttpRequestMessage(HttpMethod.Post, BrowserSession.SignOutPath);
        request.Headers.Add(BrowserSession.AntiforgeryHeader, token);
        var signedOut = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
        Assert.Equal(BrowserSession.SignInPath, signedOut.Headers.Location?.OriginalString);
        Assert.False(browser.Cookies.ContainsKey(BrowserSession.CookieName), "the session cookie was cleared");
        Assert.Equal(HttpStatusCode.Found, (await browser.NavigateAsync("/")).StatusCode);
    }

    [Fact]
    public async Task An_API_key_request_sees_its_own_identity_in_the_session_document_without_an_expiry()
    {
        using var viewer = Host.CreateClient(Roles.Viewer);

        var session = await (await viewer.GetAsync("/api/session")).JsonAsync();

        Assert.Equal("test-viewer", session!["name"]!.GetValue<string>());
        Assert.Equal(Roles.Viewer, session["role"]!.GetValue<string>());
        Assert.Null(session["expiresAt"]);
    }
}
