using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Exchanges.FakeBinance;

/// <summary>Creating and reading binance engines over the CTS HTTP API, for the tests on the fake exchange.</summary>
public static class BinanceEngineApi
{
    public const string ApiKey = "fake-binance-key-0001";
    public const string ApiSecret = "fake-binance-secret-0001";

    /// <summary>
    /// A preset that enters on the fake's candles at once (rsi-reversion whose oversold level is almost always met),
    /// at most one position, a 2 % stop-loss. (When force-entry lands, <c>POST /api/engines/{id}/positions</c> replaces
    /// the eager strategy in these tests.)
    /// </summary>
    public static async Task CreatePresetAsync(this HttpClient client, string id = "binance-eager", decimal positionSizeQuote = 100m)
    {
        var response = await client.PostAsJsonAsync("/api/presets", new
        {
            id, name = id, strategy = "rsi-reversion", rsiOversold = 99.0, rsiOverbought = 99.9,
            positionSizeQuote, maxOpenPositions = 1, stopLossPct = 2m, takeProfitPct = 50m,
        });
        Assert.True(response.IsSuccessStatusCode, $"preset: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Creates a binance connection on BTCUSDT with <paramref name="presetId"/>, enables it and starts its engine; returns the start status.</summary>
    public static async Task<JsonNode> StartBinanceEngineAsync(this HttpClient client, string id, string presetId = "binance-eager",
        string apiKey = ApiKey, string apiSecret = ApiSecret)
    {
        var created = await client.PostAsJsonAsync("/api/connections", new
        {
            id, name = id, exchange = "binance", symbols = new[] { FakeBinanceServer.Symbol }, presetId,
            credentials = new { apiKey, apiSecret },
        });
        Assert.True(created.IsSuccessStatusCode, $"connection: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        (await client.PostAsync($"/api/connections/{id}/enable", null)).EnsureSuccessStatusCode();
        var start = await client.PostAsync($"/api/engines/{id}/start", null);
        var body = await start.Content.ReadAsStringAsync();
        Assert.True(start.IsSuccessStatusCode, $"start: {(int)start.StatusCode} {body}");
        return JsonNode.Parse(body)!["status"]!;
    }

    public static async Task<JsonArray> PositionsAsync(this HttpClient client, string id, string? status = null)
    {
        var response = await client.GetAsync($"/api/positions?connectionId={id}" + (status is null ? "" : $"&status={status}"));
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync())!["positions"]!.AsArray();
    }
}
