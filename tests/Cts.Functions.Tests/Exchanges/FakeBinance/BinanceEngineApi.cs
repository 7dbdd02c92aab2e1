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
    /// at most one position, a 2 % stop-loss: for the tests about what an entry's order meets at the venue.
    /// </summary>
    public static Task CreatePresetAsync(this HttpClient client, string id = "binance-eager", decimal positionSizeQuote = 100m) =>
        client.CreatePresetAsync(id, rsiOversold: 99.0, positionSizeQuote);

    /// <summary>A preset that never enters by itself (RSI is never below 0.01): positions come only from force-entry.</summary>
    public static Task CreateQuietPresetAsync(this HttpClient client, string id = "binance-quiet") =>
        client.CreatePresetAsync(id, rsiOversold: 0.01, positionSizeQuote: 100m);

    private static async Task CreatePresetAsync(this HttpClient client, string id, double rsiOversold, decimal positionSizeQuote)
    {
        var response = await client.PostAsJsonAsync("/api/presets", new
        {
            id, name = id, strategy = "rsi-reversion", rsiOversold, rsiOverbought = 99.9,
            positionSizeQuote, maxOpenPositions = 1, stopLossPct = 2m, takeProfitPct = 50m,
        });
        Assert.True(response.IsSuccessStatusCode, $"preset: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The operator's force-entry (<c>POST /api/engines/{id}/positions</c>); returns the 201's position document.</summary>
    public static async Task<JsonNode> ForceEnterAsync(this HttpClient client, string id, string symbol, decimal quoteAmount)
    {
        var response = await client.PostAsJsonAsync($"/api/engines/{id}/positions", new { symbol, quoteAmount });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"force-entry: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
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
