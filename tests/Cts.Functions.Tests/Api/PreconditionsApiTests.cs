using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Api;

/// <summary>
/// Preconditions as RFC 9110 says: strong ETags on every configuration resource from its first read, <c>If-Match</c>
/// with a list or <c>*</c> (strong comparison), and <c>If-None-Match</c> with a list answered by 304.
/// </summary>
public sealed class PreconditionsApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private static readonly object Replacement = new { name = "Replaced", exchange = "paper", symbols = new[] { "ETHUSDT" }, testnet = false, autoStart = false };

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? ifMatch = null, string? ifNoneMatch = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await Client.SendAsync(request);
    }

    private async Task<string> ETagAsync(string url)
    {
        var response = await Client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak, $"{url} sends a strong ETag (If-Match compares strongly)");
        return etag.Tag;
    }

    [Fact]
    public async Task If_Match_takes_a_list_or_a_star_and_compares_strongly()
    {
        await Client.CreatePaperConnectionAsync("pc1");
        var current = await ETagAsync("/api/connections/pc1");

        var listed = await SendAsync(HttpMethod.Put, "/api/connections/pc1", $"\"someone-else\", {current}", content: JsonContent.Create(Replacement));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var second = listed.Headers.ETag!.Tag;
        Assert.NotEqual(current, second);

        var stale = await SendAsync(HttpMethod.Put, "/api/connections/pc1", $"\"nope\", {current}",
            content: JsonContent.Create(new { name = "Lost", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var weak = await SendAsync(HttpMethod.Put, "/api/connections/pc1", $"W/{second}",
            content: JsonContent.Create(new { name = "Weak", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, weak.StatusCode);
        var malformed = await SendAsync(HttpMethod.Delete, "/api/connections/pc1", "not-a-tag");
        Assert.Equal(HttpStatusCode.PreconditionFailed, malformed.StatusCode);
        var read = (await (await Client.GetAsync("/api/connections/pc1")).JsonAsync())!;
        Assert.Equal("Replaced", read["name"]!.GetValue<string>());
        Assert.Equal(2, read["version"]!.GetValue<long>());

        var star = await SendAsync(HttpMethod.Patch, "/api/connections/pc1", "*", content: ApiClient.MergePatch(new { name = "Starred" }));
        Assert.Equal(HttpStatusCode.OK, star.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Put, "/api/connections/ghost", "*", content: JsonContent.Create(Replacement))).StatusCode);

        var delete = await SendAsync(HttpMethod.Delete, "/api/connections/pc1", $"{second}, {star.Headers.ETag!.Tag}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Fact]
    public async Task Settings_and_the_built_in_preset_have_an_ETag_from_the_first_read_that_If_Match_accepts()
    {
        var fresh = await ETagAsync("/api/settings");
        var settings = (await (await Client.GetAsync("/api/settings")).JsonAsync())!.AsObject();
        settings["retentionDays"] = 21;

        var put = await SendAsync(HttpMethod.Put, "/api/settings", fresh, content: JsonContent.Create(settings));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        Assert.NotEqual(fresh, put.Headers.ETag!.Tag);
        Assert.Equal(put.Headers.ETag!.Tag, await ETagAsync("/api/settings"));
        settings["retentionDays"] = 99;
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(HttpMethod.Put, "/api/settings", fresh, content: JsonContent.Create(settings))).StatusCode);
        Assert.Equal(21, (await (await Client.GetAsync("/api/settings")).JsonAsync())!["retentionDays"]!.GetValue<int>());

        var builtIn = await ETagAsync("/api/presets/default");
        var patched = await SendAsync(HttpMethod.Patch, "/api/presets/default", builtIn, content: ApiClient.MergePatch(new { positionSizeQuote = 50m }));
        Assert.True(patched.StatusCode == HttpStatusCode.OK, await patched.Content.ReadAsStringAsync());
        Assert.NotEqual(builtIn, patched.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed,
            (await SendAsync(HttpMethod.Patch, "/api/presets/default", builtIn, content: ApiClient.MergePatch(new { positionSizeQuote = 60m }))).StatusCode);
        Assert.Equal(50m, (await (await Client.GetAsync("/api/presets/default")).JsonAsync())!["positionSizeQuote"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task If_None_Match_with_a_list_naming_the_current_tag_is_304()
    {
        await Client.CreatePaperConnectionAsync("pc2");
        foreach (var url in new[] { "/api/connections/pc2", "/api/presets/default", "/api/settings", "/api/engines" })
        {
            var current = (await Client.GetAsync(url)).Headers.ETag!.Tag;

            var listed = await SendAsync(HttpMethod.Get, url, ifNoneMatch: $"\"older\", {current}");
            Assert.True(listed.StatusCode == HttpStatusCode.NotModified, $"{url}: {(int)listed.StatusCode}");
            Assert.Equal(current, listed.Headers.ETag!.Tag);
            Assert.Equal(HttpStatusCode.NotModified, (await SendAsync(HttpMethod.Get, url, ifNoneMatch: $"W/{current}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotModified, (await SendAsync(HttpMethod.Get, url, ifNoneMatch: "*")).StatusCode);
            var other = await SendAsync(HttpMethod.Get, url, ifNoneMatch: "\"older\", \"oldest\"");
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            Assert.NotNull(await other.JsonAsync());
        }
    }
}
