using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cts.Bench;

/// <summary>One engine as status-all reports it: its state and the cycles its processors have run.</summary>
public sealed record EngineSummary(string Id, string State, long Runs);

/// <summary>The few HTTP calls the benchmark makes, with the dev admin key (admin may do what viewers and operators may).</summary>
public sealed class CtsApi(HttpClient http)
{
    public const string AdminKey = "dev-admin-key";

    /// <summary>The largest page status-all serves (<c>EnginesApi.MaxTop</c>).</summary>
    public const int MaxTop = 1000;

    public static HttpClient CreateClient(Uri baseAddress, int connections)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    public static string EngineId(int index) => $"bench-{index:D5}";

    /// <summary>Connections per <c>POST /api/config/import</c> document, well under the 64 KiB body limit.</summary>
    public const int ImportBatch = 150;

    /// <summary>A paper connection on <paramref name="symbols"/> with the default preset, through <c>POST /api/connections</c>.</summary>
    public async Task CreateConnectionAsync(string id, string[] symbols)
    {
        var body = new { id, name = id, exchange = "paper", symbols };
        await EnsureAsync(await http.PostAsJsonAsync("/api/connections", body), $"create {id}");
    }

    /// <summary>
    /// Copies of the connection <paramref name="templateId"/> (as <c>GET /api/config/export</c> shows it) under new ids,
    /// each on the symbols <paramref name="symbolsOf"/> gives it, through <c>POST /api/config/import</c>: one
    /// configuration snapshot per document instead of one per connection.
    /// </summary>
    public async Task ImportCopiesAsync(string templateId, IReadOnlyList<string> ids, Func<string, string[]> symbolsOf, int parallelism)
    {
        var export = (await http.GetFromJsonAsync<JsonObject>("/api/config/export"))!;
        var template = export["connections"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == templateId)!;
        await Parallel.ForEachAsync(ids.Chunk(ImportBatch), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (batch, _) =>
        {
            var connections = new JsonArray(batch.Select(id =>
            {
                var copy = template.DeepClone();
                copy["id"] = id;
                copy["name"] = id;
                copy["symbols"] = new JsonArray(symbolsOf(id).Select(symbol => (JsonNode?)symbol).ToArray());
                return (JsonNode?)copy;
            }).ToArray());
            var document = new JsonObject
            {
                ["format"] = 1, ["takenAt"] = DateTimeOffset.UtcNow, ["reason"] = "benchmark", ["connections"] = connections,
                ["presets"] = new JsonArray(), ["settings"] = null,
            };
            await EnsureAsync(await http.PostAsJsonAsync("/api/config/import", document), $"import of {batch.Length} connections");
        });
    }

    /// <summary>Idle → Enabled, so that the engine may start.</summary>
    public async Task EnableAsync(string id) =>
        await EnsureAsync(await http.PostAsync($"/api/connections/{id}/enable", null), $"enable {id}");

    /// <summary>Starts an engine and returns when it reports Running (the start answers 200 once Running, 202 past the request timeout).</summary>
    public async Task StartAsync(string id)
    {
        using var response = await http.PostAsync($"/api/engines/{id}/start", null);
        await EnsureAsync(response, $"start {id}", dispose: false);
        if (response.StatusCode == HttpStatusCode.OK && StateOf(await response.Content.ReadFromJsonAsync<JsonElement>()) == "Running")
        {
            return;
        }
        await WaitForStateAsync(id, "Running", TimeSpan.FromMinutes(2));
    }

    public async Task StopAsync(string id)
    {
        using var response = await http.PostAsync($"/api/engines/{id}/stop", null);
        await EnsureAsync(response, $"stop {id}", dispose: false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await WaitForStateAsync(id, "Stopped", TimeSpan.FromMinutes(2));
        }
    }

    /// <summary>
    /// Status-all, every page at the largest page size. <paramref name="pages"/>, when given, gets each page's time to
    /// its response headers and then to the end of its body (ms), to tell a slow server from a slow transfer.
    /// </summary>
    public async Task<List<EngineSummary>> ListAllAsync(List<(double HeadersMs, double BodyMs)>? pages = null)
    {
        var all = new List<EngineSummary>();
        string? token = null;
        do
        {
            var url = $"/api/engines?top={MaxTop}" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            var headers = clock.Elapsed.TotalMilliseconds;
            await EnsureAsync(response, "status-all", dispose: false);
            using var page = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            pages?.Add((headers, clock.Elapsed.TotalMilliseconds - headers));
            foreach (var engine in page.RootElement.GetProperty("engines").EnumerateArray())
            {
                var runs = engine.GetProperty("processors").EnumerateObject().Sum(p => p.Value.GetProperty("runs").GetInt64());
                all.Add(new EngineSummary(engine.GetProperty("connectionId").GetString()!, StateOf(engine), runs));
            }
            token = page.RootElement.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String
                ? next.GetString()
                : null;
        }
        while (token is not null);
        return all;
    }

    public async Task<string> MetricsAsync()
    {
        using var response = await http.GetAsync("/metrics");
        await EnsureAsync(response, "metrics", dispose: false);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task WaitForStateAsync(string id, string state, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await http.GetFromJsonAsync<JsonElement>($"/api/engines/{id}");
            if (StateOf(status) == state)
            {
                return;
            }
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"{id} is {StateOf(status)}, not {state}, after {deadline.TotalSeconds:0} s");
            }
            await Task.Delay(20);
        }
    }

    private static string StateOf(JsonElement status) =>
        (status.TryGetProperty("status", out var inner) ? inner : status).GetProperty("state").GetString()!;

    private static async Task EnsureAsync(HttpResponseMessage response, string what, bool dispose = true)
    {
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        finally
        {
            if (dispose)
            {
                response.Dispose();
            }
        }
    }
}
