using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Api;

/// <summary>Status-all: filtering, paging, ETag/304, and the old system's alias routes.</summary>
public sealed class StatusAllApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task Status_all_filters_by_state_and_pages_with_a_continuation_token()
    {
        await Client.StartPaperEngineAsync("a-run");
        await Client.CreatePaperConnectionAsync("b-idle");
        await Client.StartPaperEngineAsync("c-run");

        var running = (await (await Client.GetAsync("/api/engines?state=Running")).JsonAsync())!;
        Assert.Equal(["a-run", "c-run"], running["engines"]!.AsArray().Select(e => e!["connectionId"]!.GetValue<string>()));
        Assert.Equal(2, running["count"]!.GetValue<int>());
        Assert.NotNull(running["asOf"]);

        var seen = new List<string>();
        string? token = null;
        do
        {
            var url = "/api/engines?top=1" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            var page = (await (await Client.GetAsync(url)).JsonAsync())!;
            seen.AddRange(page["engines"]!.AsArray().Select(e => e!["connectionId"]!.GetValue<string>()));
            token = page["continuationToken"]?.GetValue<string>();
        } while (token is not null);
        Assert.Equal(["a-run", "b-idle", "c-run"], seen);
    }

    [Fact]
    public async Task Status_all_answers_304_to_a_matching_ETag_and_200_once_something_changed()
    {
        await Client.CreatePaperConnectionAsync("e1");
        var first = await Client.GetAsync("/api/engines");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        var again = new HttpRequestMessage(HttpMethod.Get, "/api/engines");
        again.Headers.IfNoneMatch.Add(etag!);
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(again)).StatusCode);

        (await Client.PostAsync("/api/connections/e1/enable", null)).EnsureSuccessStatusCode();
        var changed = new HttpRequestMessage(HttpMethod.Get, "/api/engines");
        changed.Headers.IfNoneMatch.Add(etag!);
        var response = await Client.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(etag, response.Headers.ETag);
    }

    [Fact]
    public async Task Alias_routes_start_report_and_stop_the_same_engine()
    {
        await Client.CreatePaperConnectionAsync("legacy");
        (await Client.PostAsync("/api/connections/legacy/enable", null)).EnsureSuccessStatusCode();

        var start = await Client.PostAsJsonAsync("/api/trade-engine/start", new { connectionId = "legacy" });
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Equal("Running", (await start.JsonAsync())!["status"]!.State());

        var status = (await (await Client.GetAsync("/api/trade-engine/status?connectionId=legacy")).JsonAsync())!;
        Assert.Equal("Running", status.State());
        var all = (await (await Client.GetAsync("/api/trade-engine/status-all")).JsonAsync())!;
        Assert.Equal("Running", Assert.Single(all["engines"]!.AsArray())!.State());

        var stop = await Client.PostAsJsonAsync("/api/trade-engine/stop", new { connectionId = "legacy" });
        Assert.Equal("Stopped", (await stop.JsonAsync())!["status"]!.State());
        Assert.Equal("Stopped", (await Client.StatusAsync("legacy")).State());
    }
}
