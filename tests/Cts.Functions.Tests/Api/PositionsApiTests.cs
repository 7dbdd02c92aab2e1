using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Api;

/// <summary>Positions on the paper market through the host: listing, a forced close, and stop with closePositions.</summary>
public sealed class PositionsApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    /// <summary>Starts an eager engine and waits for its first position.</summary>
    private async Task StartEagerEngineAsync(string id)
    {
        await Client.StartEagerEnginesAsync(id);
        await Eventually.UntilAsync(() => Client.StatusAsync(id), s => s["openPositions"]!.GetValue<int>() >= 1,
            TimeSpan.FromSeconds(10), "the eager engine opens a position");
    }

    private async Task<JsonArray> PositionsAsync(string query) =>
        (await (await Client.GetAsync($"/api/positions?{query}")).JsonAsync())!["positions"]!.AsArray();

    [Fact]
    public async Task An_operator_force_closes_a_position_and_status_pnl_is_the_sum_over_closed_plus_open_marks()
    {
        await StartEagerEngineAsync("fc");
        var open = await PositionsAsync("connectionId=fc&status=open");
        var target = open[0]!["id"]!.GetValue<string>();

        using var viewer = Host.CreateClient(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/positions/fc/{target}/close", null)).StatusCode);
        using var @operator = Host.CreateClient(Roles.Operator);
        var close = await @operator.PostAsync($"/api/positions/fc/{target}/close", null);

        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        var closed = (await close.JsonAsync())!;
        Assert.Equal("closed", closed["status"]!.GetValue<string>());
        Assert.Equal("manual", closed["exitReason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await @operator.PostAsync($"/api/positions/fc/{target}/close", null)).StatusCode);

        var status = await Client.StatusAsync("fc");
        var closedSum = (await PositionsAsync("connectionId=fc&status=closed")).Sum(p => p!["realizedPnl"]!.GetValue<decimal>());
        Assert.Equal(closedSum, status["realizedPnl"]!.GetValue<decimal>());
        Assert.Contains(await PositionsAsync("connectionId=fc"), p => p!["id"]!.GetValue<string>() == target);
    }

    [Fact]
    public async Task Stop_with_closePositions_exits_every_open_position_before_Stopped()
    {
        await StartEagerEngineAsync("sc");

        var stop = await Client.PostJsonAsync("/api/engines/sc/stop", """{"closePositions":true,"reason":"end of day"}""");

        var status = (await stop.JsonAsync())!["status"]!;
        Assert.Equal("Stopped", status.State());
        Assert.Equal(0, status["openPositions"]!.GetValue<int>());
        Assert.Empty(await PositionsAsync("connectionId=sc&status=open"));
        Assert.All(await PositionsAsync("connectionId=sc&status=closed"), p => Assert.Equal("shutdown", p!["exitReason"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/api/positions?status=pending")]
    [InlineData("/api/positions?top=0")]
    [InlineData("/api/positions?connectionId=NOPE")]
    public async Task Bad_position_query_is_400(string url) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync(url)).StatusCode);

    [Fact]
    public async Task Closing_on_an_unknown_connection_is_404_and_a_malformed_position_id_is_400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync("/api/positions/ghost/cts-aaaaaaaaaaaaaaaaaaaaaaaaaa/close", null)).StatusCode);
        await Client.CreatePaperConnectionAsync("known");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync("/api/positions/known/not-an-id/close", null)).StatusCode);
    }
}
