using System.Net;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Security;

/// <summary>
/// The session lasts 8 h from its last renewal: used after half its life it is renewed for another 8 h, and a cookie
/// older than 8 h is refused. The session scheme's clock is a <see cref="FakeTimeProvider"/>; nothing else of the
/// host runs on it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SessionExpiryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_session_slides_while_used_and_an_unrenewed_cookie_expires_after_8_hours()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = new CtsAppFactory(azurite, configureServices: services =>
            services.PostConfigure<CookieAuthenticationOptions>(BrowserSession.SchemeName, o => o.TimeProvider = clock));
        using var browser = new BrowserClient(host);
        var signedInAt = clock.GetUtcNow();

        var signIn = await browser.SignInAsync(TestKeys.Viewer);
        var first = BrowserClient.SessionCookie(signIn)!;
        Assert.Equal(signedInAt.AddHours(8), first.Expires!.Value, TimeSpan.FromSeconds(1));

        // Before half its life a request is served without renewing the cookie.
        clock.Advance(TimeSpan.FromHours(3));
        var early = await browser.GetAsync("/api/session");
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Null(BrowserClient.SessionCookie(early));

        // Past half its life the answer renews it: 8 h from now.
        clock.Advance(TimeSpan.FromHours(2));
        var renewing = await browser.GetAsync("/api/engines");
        Assert.Equal(HttpStatusCode.OK, renewing.StatusCode);
        var renewed = BrowserClient.SessionCookie(renewing);
        Assert.NotNull(renewed);
        Assert.Equal(signedInAt.AddHours(13), renewed.Expires!.Value, TimeSpan.FromSeconds(1));

        // 9 h after sign-in: the first cookie is dead, the renewed one lives (asked on a copy, so this use's own
        // renewal is not kept).
        clock.Advance(TimeSpan.FromHours(4));
        using var stale = new BrowserClient(host);
        stale.Cookies[BrowserSession.CookieName] = first.Value.Value!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await stale.GetAsync("/api/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await stale.NavigateAsync("/")).StatusCode);
        using var copy = new BrowserClient(host);
        copy.Cookies[BrowserSession.CookieName] = renewed.Value.Value!;
        var session = await copy.SessionAsync();
        Assert.Equal(signedInAt.AddHours(13), session["expiresAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromSeconds(1));

        // And 8 h without use end the renewed one too.
        clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/session")).StatusCode);
    }
}
