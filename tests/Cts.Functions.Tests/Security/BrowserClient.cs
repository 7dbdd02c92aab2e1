using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Net.Http.Headers;

namespace Cts.Functions.Tests.Security;

/// <summary>
/// A browser's view of a test host: no redirects followed, cookies kept by hand (so a test can hold on to an old one),
/// <c>Accept: text/html</c> on page navigations.
/// </summary>
public sealed class BrowserClient : IDisposable
{
    private readonly HttpClient _http;

    public BrowserClient(CtsAppFactory host, bool https = false)
    {
        _http = host.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = false,
            BaseAddress = new Uri(https ? "https://localhost" : "http://localhost"),
        });
    }

    /// <summary>Cookie name → value, as the browser would send them.</summary>
    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    public Task<HttpResponseMessage> NavigateAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url), html: true);

    public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    public Task<HttpResponseMessage> SignInAsync(string apiKey, string? returnUrl = null, Action<HttpRequestMessage>? configure = null)
    {
        var form = new Dictionary<string, string> { ["apiKey"] = apiKey };
        if (returnUrl is not null)
        {
            form["returnUrl"] = returnUrl;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, BrowserSession.SignInPath) { Content = new FormUrlEncodedContent(form) };
        configure?.Invoke(request);
        return SendAsync(request, html: true);
    }

    /// <summary>Signs in with the key and checks it worked (303 and a session cookie).</summary>
    public async Task SignedInAsync(string apiKey)
    {
        var response = await SignInAsync(apiKey);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.True(Cookies.ContainsKey(BrowserSession.CookieName), "no session cookie after a good sign-in");
    }

    /// <summary><c>GET /api/session</c> as JSON (asserting 200).</summary>
    public async Task<JsonNode> SessionAsync()
    {
        var response = await GetAsync("/api/session");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())!;
    }

    public Task<HttpResponseMessage> PostJsonAsync(string url, object body, string? antiforgeryToken = null, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (antiforgeryToken is not null)
        {
            request.Headers.Add(BrowserSession.AntiforgeryHeader, antiforgeryToken);
        }
        if (apiKey is not null)
        {
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, apiKey);
        }
        return SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool html = false)
    {
        if (html)
        {
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        }
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }
        var response = await _http.SendAsync(request);
        foreach (var cookie in SetCookies(response))
        {
            if (cookie.Expires is { } expires && expires < DateTimeOffset.UtcNow.AddYears(-1))
            {
                Cookies.Remove(cookie.Name.Value!); // a cookie cleared by the server
            }
            else
            {
                Cookies[cookie.Name.Value!] = cookie.Value.Value!;
            }
        }
        return response;
    }

    public static IList<SetCookieHeaderValue> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues(HeaderNames.SetCookie, out var values) ? SetCookieHeaderValue.ParseList(values.ToList()) : [];

    public static SetCookieHeaderValue? SessionCookie(HttpResponseMessage response) =>
        SetCookies(response).FirstOrDefault(c => c.Name.Value == BrowserSession.CookieName);

    public void Dispose() => _http.Dispose();
}
