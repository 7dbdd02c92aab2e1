using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Domain.Backtesting;
using Cts.Domain.Config;
using Cts.Domain.Market;
using Cts.Domain.Trading;
using Cts.Functions.Backtests;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Backtesting;

/// <summary>Requests for backtests over HTTP, and the same backtest run by the domain runner to compare with.</summary>
public static class BacktestRig
{
    public static readonly DateTimeOffset From = new(2025, 2, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The default preset with the production intervals (the test host's defaults are much faster).</summary>
    public static readonly Preset Preset = Preset.Default with { Id = "bt-inline", IndicationsMs = 5000, StrategiesMs = 5000, RealtimeMs = 1000 };

    public static object Request(TimeSpan window, string[]? symbols = null, string dataSource = "paper", DateTimeOffset? from = null) => new
    {
        preset = Preset,
        symbols = symbols ?? ["BTCUSDT", "ETHUSDT"],
        from = from ?? From,
        to = (from ?? From) + window,
        dataSource,
    };

    public static async Task<string> StartAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/backtests", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {body}");
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        Assert.Equal($"/api/backtests/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    public static Task<JsonNode> WaitForAsync(HttpClient client, string id, string status, TimeSpan limit, Func<string>? diagnostics = null) =>
        Eventually.UntilAsync(async () => JsonNode.Parse(await client.GetStringAsync($"/api/backtests/{id}"))!,
            b => b["status"]!.GetValue<string>() == status || (status != "failed" && b["status"]!.GetValue<string>() == "failed"),
            limit, $"backtest {id} {status}", diagnostics);

    /// <summary>The same backtest as the host runs it, through the domain runner.</summary>
    public static async Task<(List<PositionRecord> Trades, BacktestRunner Runner)> RunInDomainAsync(TimeSpan window, string[] symbols, IMarketData? market = null,
        DateTimeOffset? from = null)
    {
        var start = from ?? From;
        var setup = new BacktestSetup(BacktestGrain.OrderKey, symbols, start, start + window, Preset.ToStrategyParameters(), Preset.ToRiskParameters(),
            CycleCadence.For(BacktestGrain.OrderKey, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)),
            new PaperFillModel(), 10_000m);
        var runner = await BacktestRunner.StartAsync(setup, market ?? new PaperHistory(new PaperMarket(42)));
        await runner.RunToEndAsync();
        return (runner.TakeClosedTrades().Select(PositionRecord.From).ToList(), runner);
    }
}
