using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Api;

/// <summary>Connections CRUD with ETags, and deletion guarded by the engine's lifecycle.</summary>
public sealed class ConnectionsApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task Create_read_replace_bumps_version_and_a_stale_If_Match_is_412_with_nothing_written()
    {
        var created = await Client.CreatePaperConnectionAsync("c1");
        Assert.Equal("/api/connections/c1", created.Headers.Location?.OriginalString);
        var etag = created.Headers.ETag!;

        var put = new HttpRequestMessage(HttpMethod.Put, "/api/connections/c1")
        {
            Content = JsonContent.Create(new { name = "Renamed", exchange = "paper", symbols = new[] { "ETHUSDT" }, testnet = false, autoStart = false }),
        };
        put.Headers.IfMatch.Add(etag);
        var replaced = await Client.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(2, (await replaced.JsonAsync())!["version"]!.GetValue<long>());

        var stale = new HttpRequestMessage(HttpMethod.Put, "/api/connections/c1")
        {
            Content = JsonContent.Create(new { name = "Lost update", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false }),
        };
        stale.Headers.IfMatch.Add(etag);
        var refused = await Client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);

        var current = (await (await Client.GetAsync("/api/connections/c1")).JsonAsync())!;
        Assert.Equal("Renamed", current["name"]!.GetValue<string>());
        Assert.Equal(2, current["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Creating_an_existing_id_is_409()
    {
        await Client.CreatePaperConnectionAsync("dup");
        var again = await Client.PostAsJsonAsync("/api/connections", new { id = "dup", name = "x", exchange = "paper", symbols = new[] { "BTCUSDT" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Delete_is_409_while_the_engine_runs_and_removes_connection_and_engine_once_stopped()
    {
        await Client.StartPaperEngineAsync("d1");

        var refused = await Client.DeleteAsync("/api/connections/d1");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("Running", (await refused.JsonAsync())!["currentState"]!.GetValue<string>());
        Assert.Equal("Running", (await Client.StatusAsync("d1")).State());

        (await Client.PostAsync("/api/engines/d1/stop", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/connections/d1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/connections/d1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/engines/d1")).StatusCode);

        var engines = await Host.Tables.GetAsync("grainstate");
        var row = await engines.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("engine", "d1");
        Assert.False(row.HasValue);
    }

    [Fact]
    public async Task Delete_with_a_stale_If_Match_is_412_and_keeps_the_connection()
    {
        var created = await Client.CreatePaperConnectionAsync("d2");
        (await Client.PostAsync("/api/connections/d2/enable", null)).EnsureSuccessStatusCode();
        var put = new HttpRequestMessage(HttpMethod.Put, "/api/connections/d2")
        {
            Content = JsonContent.Create(new { name = "v2", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false }),
        };
        (await Client.SendAsync(put)).EnsureSuccessStatusCode();

        var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/connections/d2");
        delete.Headers.IfMatch.Add(created.Headers.ETag!);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Client.SendAsync(delete)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/api/connections/d2")).StatusCode);
        Assert.Equal("Enabled", (await Client.StatusAsync("d2")).State());
    }
}
