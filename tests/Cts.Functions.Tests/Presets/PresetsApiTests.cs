using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Presets;

/// <summary>Presets: validation, ETags, and how engines use them (intervals, config version, restart required).</summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class PresetsApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private static object Preset(string id, int? indicationsMs = null, int? strategiesMs = null, int? realtimeMs = null, decimal size = 50m) => new
    {
        id,
        name = $"Preset {id}",
        strategy = "rsi-reversion",
        emaFast = 3,
        emaSlow = 8,
        useRsiFilter = false,
        rsiPeriod = 10,
        rsiOversold = 30.0,
        rsiOverbought = 70.0,
        positionSizeQuote = size,
        maxOpenPositions = 2,
        stopLossPct = 1.5m,
        takeProfitPct = 3m,
        trailingStopPct = 1m,
        indicationsMs,
        strategiesMs,
        realtimeMs,
    };

    [Fact]
    public async Task The_built_in_default_preset_is_listed_and_readable()
    {
        var list = (await (await Client.GetAsync("/api/presets")).JsonAsync())!;
        Assert.Contains(list["presets"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "default");
        var preset = (await (await Client.GetAsync("/api/presets/default")).JsonAsync())!;
        Assert.Equal("ema-crossover", preset["strategy"]!.GetValue<string>());
    }

    public static TheoryData<string, string> BadPresets => new()
    {
        { """{"id":"p","name":"x","indicationsMs":249}""", "indicationsMs" },
        { """{"id":"p","name":"x","realtimeMs":100}""", "realtimeMs" },
        { """{"id":"p","name":"x","stopLossPct":0}""", "stopLossPct" },
        { """{"id":"p","name":"x","takeProfitPct":100}""", "takeProfitPct" },
        { """{"id":"p","name":"x","trailingStopPct":-1}""", "trailingStopPct" },
        { """{"id":"p","name":"x","positionSizeQuote":0}""", "positionSizeQuote" },
        { """{"id":"p","name":"x","maxOpenPositions":0}""", "maxOpenPositions" },
        { """{"id":"p","name":"x","strategy":"martingale"}""", "strategy" },
        { """{"id":"p","name":"x","emaFast":30,"emaSlow":20}""", "emaSlow" },
        { """{"id":"p","name":"x","rsiOversold":80,"rsiOverbought":70}""", "rsiOverbought" },
        { """{"id":"p","name":""}""", "name" },
        { """{"id":"Bad Id","name":"x"}""", "id" },
        { """{"id":"p","name":"x","leverage":10}""", "leverage" },
    };

    [Theory]
    [MemberData(nameof(BadPresets))]
    public async Task Invalid_preset_is_400_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var response = await Client.PostJsonAsync("/api/presets", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())!["errors"]![field]);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/presets/p")).StatusCode);
    }

    [Fact]
    public async Task Stale_If_Match_on_put_and_delete_is_412_and_nothing_changes()
    {
        var created = await Client.PostAsJsonAsync("/api/presets", Preset("cautious"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = created.Headers.ETag!;
        var update = new HttpRequestMessage(HttpMethod.Put, "/api/presets/cautious") { Content = JsonContent.Create(Preset("cautious", size: 60m)) };
        update.Headers.IfMatch.Add(first);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(update)).StatusCode);

        var stalePut = new HttpRequestMessage(HttpMethod.Put, "/api/presets/cautious") { Content = JsonContent.Create(Preset("cautious", size: 999m)) };
        stalePut.Headers.IfMatch.Add(first);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Client.SendAsync(stalePut)).StatusCode);
        var staleDelete = new HttpRequestMessage(HttpMethod.Delete, "/api/presets/cautious");
        staleDelete.Headers.IfMatch.Add(first);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Client.SendAsync(staleDelete)).StatusCode);

        var current = (await (await Client.GetAsync("/api/presets/cautious")).JsonAsync())!;
        Assert.Equal(60m, current["positionSizeQuote"]!.GetValue<decimal>());
        Assert.Equal(2, current["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_preset_sets_the_processor_intervals_and_config_version_of_its_engines()
    {
        (await Client.PostAsJsonAsync("/api/presets", Preset("quick", indicationsMs: 250, strategiesMs: 300, realtimeMs: 400))).EnsureSuccessStatusCode();
        var connection = await Client.PostAsJsonAsync("/api/connections",
            new { id = "q1", name = "Q1", exchange = "paper", symbols = new[] { "BTCUSDT" }, presetId = "quick" });
        Assert.Equal(HttpStatusCode.Created, connection.StatusCode);
        (await Client.PostAsync("/api/connections/q1/enable", null)).EnsureSuccessStatusCode();

        var status = (await (await Client.PostAsync("/api/engines/q1/start", null)).JsonAsync())!["status"]!;

        Assert.Equal(250, Interval(status, "indications"));
        Assert.Equal(300, Interval(status, "strategies"));
        Assert.Equal(400, Interval(status, "realtime"));
        Assert.Equal(1, status["configVersion"]!.GetValue<long>());
    }

    [Fact]
    public async Task Changing_a_preset_marks_its_running_engines_restart_required_until_restarted()
    {
        (await Client.PostAsJsonAsync("/api/presets", Preset("shared"))).EnsureSuccessStatusCode();
        (await Client.PostAsJsonAsync("/api/connections",
            new { id = "s1", name = "S1", exchange = "paper", symbols = new[] { "BTCUSDT" }, presetId = "shared" })).EnsureSuccessStatusCode();
        (await Client.PostAsync("/api/connections/s1/enable", null)).EnsureSuccessStatusCode();
        (await Client.PostAsync("/api/engines/s1/start", null)).EnsureSuccessStatusCode();

        (await Client.PutAsJsonAsync("/api/presets/shared", Preset("shared", size: 75m))).EnsureSuccessStatusCode();

        var stale = await Client.StatusAsync("s1");
        Assert.True(stale["restartRequired"]!.GetValue<bool>());
        Assert.Equal("preset changed", stale["restartReason"]!.GetValue<string>());
        Assert.Equal(1, stale["configVersion"]!.GetValue<long>());

        var restarted = (await (await Client.PostAsync("/api/engines/s1/restart", null)).JsonAsync())!["status"]!;
        Assert.False(restarted["restartRequired"]!.GetValue<bool>());
        Assert.Equal(2, restarted["configVersion"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_preset_in_use_cannot_be_deleted_and_an_unknown_preset_cannot_be_named()
    {
        (await Client.PostAsJsonAsync("/api/presets", Preset("used"))).EnsureSuccessStatusCode();
        (await Client.PostAsJsonAsync("/api/connections",
            new { id = "u1", name = "U1", exchange = "paper", symbols = new[] { "BTCUSDT" }, presetId = "used" })).EnsureSuccessStatusCode();

        var delete = await Client.DeleteAsync("/api/presets/used");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("u1", (await delete.JsonAsync())!["detail"]!.GetValue<string>());

        var unknown = await Client.PostAsJsonAsync("/api/connections",
            new { id = "u2", name = "U2", exchange = "paper", symbols = new[] { "BTCUSDT" }, presetId = "nope" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.NotNull((await unknown.JsonAsync())!["errors"]!["presetId"]);
    }

    private static int Interval(JsonNode status, string processor) => status["processors"]![processor]!["intervalMs"]!.GetValue<int>();
}
