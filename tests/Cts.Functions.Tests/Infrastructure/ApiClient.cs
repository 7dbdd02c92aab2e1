using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>Small helpers over HttpClient for the CTS API, returning raw JSON so tests assert the wire format.</summary>
public static class ApiClient
{
    public static async Task<HttpResponseMessage> CreatePaperConnectionAsync(this HttpClient client, string id, params string[] symbols)
    {
        var response = await client.PostAsJsonAsync("/api/connections",
            new { id, name = $"Paper {id}", exchange = "paper", symbols = symbols.Length == 0 ? ["BTCUSDT"] : symbols });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return response;
    }

    /// <summary>Creates a paper connection, enables it and starts its engine; returns the start response body.</summary>
    public static async Task<JsonNode> StartPaperEngineAsync(this HttpClient client, string id)
    {
        await client.CreatePaperConnectionAsync(id);
        (await client.PostAsync($"/api/connections/{id}/enable", null)).EnsureSuccessStatusCode();
        var start = await client.PostAsync($"/api/engines/{id}/start", null);
        start.EnsureSuccessStatusCode();
        return (await start.JsonAsync())!;
    }

    /// <summary>
    /// Starts paper engines on an rsi-reversion preset whose entry threshold is almost always met, so they open a
    /// position on their first cycles (the preset <c>eager</c> is created once).
    /// </summary>
    public static Task StartEagerEnginesAsync(this HttpClient client, params string[] ids) => CreateEagerEnginesAsync(client, start: true, ids);

    /// <summary>As <see cref="StartEagerEnginesAsync"/>, leaving the engines Enabled when <paramref name="start"/> is false.</summary>
    public static async Task CreateEagerEnginesAsync(this HttpClient client, bool start, params string[] ids)
    {
        var preset = await client.PostAsJsonAsync("/api/presets", new
        {
            id = "eager", name = "Eager", strategy = "rsi-reversion", rsiOversold = 99.0, rsiOverbought = 99.9,
            positionSizeQuote = 100m, maxOpenPositions = 3, stopLossPct = 50m, takeProfitPct = 50m,
        });
        Assert.True(preset.IsSuccessStatusCode || preset.StatusCode == System.Net.HttpStatusCode.Conflict, $"preset: {preset.StatusCode}");
        foreach (var id in ids)
        {
            (await client.PostAsJsonAsync("/api/connections",
                new { id, name = id, exchange = "paper", symbols = new[] { "BTCUSDT", "ETHUSDT" }, presetId = "eager" })).EnsureSuccessStatusCode();
            (await client.PostAsync($"/api/connections/{id}/enable", null)).EnsureSuccessStatusCode();
            if (start)
            {
                (await client.PostAsync($"/api/engines/{id}/start", null)).EnsureSuccessStatusCode();
            }
        }
    }

    public static async Task<JsonNode?> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync());

    public static async Task<JsonNode> StatusAsync(this HttpClient client, string id)
    {
        var response = await client.GetAsync($"/api/engines/{id}");
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync())!;
    }

    public static long Runs(this JsonNode status, string processor) => status["processors"]![processor]!["runs"]!.GetValue<long>();

    public static string State(this JsonNode status) => status["state"]!.GetValue<string>();

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>PATCH with a JSON Merge Patch body (<c>application/merge-patch+json</c>).</summary>
    public static Task<HttpResponseMessage> PatchMergeAsync(this HttpClient client, string url, object patch) =>
        client.PatchAsync(url, MergePatch(patch));

    /// <summary>Changes only the given settings (a merge patch: PUT would need the whole document) and insists it worked.</summary>
    public static async Task PatchSettingsAsync(this HttpClient client, object patch)
    {
        var response = await client.PatchMergeAsync("/api/settings", patch);
        Assert.True(response.IsSuccessStatusCode, $"PATCH /api/settings: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static HttpContent MergePatch(object patch) =>
        JsonContent.Create(patch, patch.GetType(), new System.Net.Http.Headers.MediaTypeHeaderValue("application/merge-patch+json"));

    public static string[] Strings(this JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
