using System.Net;
using System.Text.Json.Nodes;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Api;

/// <summary><c>GET /api/engines/{id}/performance</c> over HTTP: the trade figures of an engine's positions.</summary>
public sealed class EnginePerformanceApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task Performance_is_computed_from_the_engines_closed_positions_with_the_report_calculator()
    {
        await Client.StartEagerEnginesAsync("perf");
        await Eventually.UntilAsync(() => Client.StatusAsync("perf"), s => s["openPositions"]!.GetValue<int>() >= 2,
            TimeSpan.FromSeconds(15), "the eager engine opens positions");
        using var viewer = Host.CreateClient(Roles.Viewer);
        var running = JsonNode.Parse(await viewer.GetStringAsync("/api/engines/perf/performance"))!;
        Assert.Equal(0, running["trades"]!.GetValue<int>());
        Assert.Equal(running["realizedPnl"]!.GetValue<decimal>() + running["unrealizedPnl"]!.GetValue<decimal>(),
            running["totalProfit"]!.GetValue<decimal>());

        await Client.PostJsonAsync("/api/engines/perf/stop", """{"closePositions":true}""");
        var closed = (await (await Client.GetAsync("/api/positions?connectionId=perf&status=closed")).JsonAsync())!["positions"]!.AsArray();
        var profits = closed.Select(p => p!["realizedPnl"]!.GetValue<decimal>()).ToList();
        var status = await Client.StatusAsync("perf");

        var response = await viewer.GetAsync("/api/engines/perf/performance");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var perf = (await response.JsonAsync())!;
        foreach (var field in new[] { "connectionId", "asOf", "totalProfit", "totalProfitPct", "realizedPnl", "unrealizedPnl", "trades", "wins",
                     "draws", "losses", "winRate", "profitFactor", "expectancy", "maxDrawdown", "maxDrawdownPct", "bestTrade", "worstTrade",
                     "avgDurationSeconds", "daily", "equityCurve" })
        {
            Assert.True(perf.AsObject().ContainsKey(field), $"no {field}");
        }
        Assert.Equal(profits.Count, perf["trades"]!.GetValue<int>());
        Assert.True(profits.Count >= 2);
        Assert.Equal(profits.Count(p => p > 0), perf["wins"]!.GetValue<int>());
        Assert.Equal(profits.Count(p => p < 0), perf["losses"]!.GetValue<int>());
        Assert.Equal(status["realizedPnl"]!.GetValue<decimal>(), perf["realizedPnl"]!.GetValue<decimal>());
        Assert.Equal(0m, perf["unrealizedPnl"]!.GetValue<decimal>());
        Assert.Equal(profits.Sum(), perf["totalProfit"]!.GetValue<decimal>());
        Assert.Equal(profits.Sum() / profits.Count, perf["expectancy"]!.GetValue<decimal>());
        Assert.Equal(profits.Max(), perf["bestTrade"]!["profit"]!.GetValue<decimal>());
        Assert.Equal(profits.Min(), perf["worstTrade"]!["profit"]!.GetValue<decimal>());
        Assert.Equal(profits.Sum(), perf["daily"]!.AsArray().Sum(d => d!["profit"]!.GetValue<decimal>()));
        var curve = perf["equityCurve"]!.AsArray();
        Assert.Equal(profits.Count + 2, curve.Count); // the start, one point per trade, now
        Assert.Equal(10_000m + profits.Sum(), curve[^1]!["equity"]!.GetValue<decimal>());

        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/api/engines/nobody/performance")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync("/api/engines/Bad_Id/performance")).StatusCode);
    }
}
