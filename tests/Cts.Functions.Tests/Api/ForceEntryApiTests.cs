using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Api;

/// <summary>
/// An operator's forced entry (<c>POST /api/engines/{id}/positions</c>) through the HTTP pipeline, the real silo and
/// storage, on the paper venue. The presets' strategy never enters by itself (RSI below 0.5), so every position is the
/// operator's.
/// </summary>
public sealed class ForceEntryApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private HttpClient Operator => _operator ??= Host.CreateClient(Roles.Operator);
    private HttpClient? _operator;

    /// <summary>A preset whose strategy never enters, with the given limits; and a started (or only enabled) engine on it.</summary>
    private async Task EngineAsync(string id, decimal stopLossPct, int maxOpenPositions = 3, bool start = true)
    {
        var preset = await Client.PostAsJsonAsync("/api/presets", new
        {
            id = $"{id}-preset", name = id, strategy = "rsi-reversion", rsiOversold = 0.5, rsiOverbought = 99.9,
            positionSizeQuote = 40m, maxOpenPositions, stopLossPct, takeProfitPct = 50m,
        });
        preset.EnsureSuccessStatusCode();
        (await Client.PostAsJsonAsync("/api/connections",
            new { id, name = id, exchange = "paper", symbols = new[] { "BTCUSDT", "ETHUSDT" }, presetId = $"{id}-preset" })).EnsureSuccessStatusCode();
        (await Client.PostAsync($"/api/connections/{id}/enable", null)).EnsureSuccessStatusCode();
        if (start)
        {
            (await Client.PostAsync($"/api/engines/{id}/start", null)).EnsureSuccessStatusCode();
        }
    }

    private Task<HttpResponseMessage> ForceAsync(string id, string body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/engines/{id}/positions")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return Operator.SendAsync(request);
    }

    private async Task<JsonArray> PositionsAsync(string id) =>
        (await (await Client.GetAsync($"/api/engines/{id}/positions")).JsonAsync())!["positions"]!.AsArray();

    [Fact]
    public async Task On_a_running_engine_it_is_201_with_the_position_which_is_listed_audited_and_then_exited_by_the_presets_stop_loss()
    {
        // A stop-loss tighter than spread + slippage: the preset's realtime rule exits it on one of the next marks.
        await EngineAsync("fe-run", stopLossPct: 0.05m);
        using var viewer = Host.CreateClient(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await viewer.PostAsync("/api/engines/fe-run/positions", JsonContent.Create(new { symbol = "BTCUSDT" }))).StatusCode);

        var response = await ForceAsync("fe-run", """{"symbol":"BTCUSDT","quoteAmount":25,"reason":"manual test entry"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var position = (await response.JsonAsync())!;
        var positionId = position["id"]!.GetValue<string>();
        Assert.Equal(("fe-run", "BTCUSDT", "open"), (position["connectionId"]!.GetValue<string>(), position["symbol"]!.GetValue<string>(),
            position["status"]!.GetValue<string>()));
        Assert.Equal(positionId, position["clientOrderId"]!.GetValue<string>());
        var notional = position["quantity"]!.GetValue<decimal>() * position["entryPrice"]!.GetValue<decimal>();
        Assert.InRange(notional, 24.9m, 25m);
        Assert.Equal($"/api/positions/fe-run/{positionId}", response.Headers.Location?.OriginalString);
        Assert.Contains(await PositionsAsync("fe-run"), p => p!["id"]!.GetValue<string>() == positionId);

        var exited = await Eventually.UntilAsync(async () => (await (await Client.GetAsync($"/api/positions/fe-run/{positionId}")).JsonAsync())!,
            p => p["status"]!.GetValue<string>() == "closed", TimeSpan.FromSeconds(15), "the preset's stop-loss exits the forced position");
        Assert.Equal("stop-loss", exited["exitReason"]!.GetValue<string>());
        // The status read interleaves with the engine's turn, so it can land between the journal's write of the closed
        // position and the book's settling of it: it follows within that turn.
        await Eventually.UntilAsync(async () => (await Client.StatusAsync("fe-run"))["openPositions"]!.GetValue<int>(),
            open => open == 0, TimeSpan.FromSeconds(5), "the status counts no open position once the exit is recorded");

        var audit = (await (await Client.GetAsync("/api/engines/fe-run/audit")).JsonAsync())!["entries"]!.AsArray();
        var entry = Assert.Single(audit, e => e!["action"]!.GetValue<string>() == "force-entry");
        Assert.Equal(("test-operator", "changed", "Running"), (entry!["actor"]!.GetValue<string>(), entry["outcome"]!.GetValue<string>(),
            entry["fromState"]!.GetValue<string>()));
        Assert.Contains("manual test entry", entry["reason"]!.GetValue<string>());
        Assert.Contains("BTCUSDT", entry["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task While_paused_it_is_allowed_sized_by_the_preset_idempotent_by_key_and_refused_past_maxOpenPositions_and_the_balance()
    {
        await EngineAsync("fe-pause", stopLossPct: 50m, maxOpenPositions: 2);
        (await Client.PostAsync("/api/engines/fe-pause/pause", null)).EnsureSuccessStatusCode();

        var first = await ForceAsync("fe-pause", """{"symbol":"ETHUSDT"}""", idempotencyKey: "entry-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var opened = (await first.JsonAsync())!;
        Assert.InRange(opened["quantity"]!.GetValue<decimal>() * opened["entryPrice"]!.GetValue<decimal>(), 39.9m, 40m);

        var retried = await ForceAsync("fe-pause", """{"symbol":"ETHUSDT"}""", idempotencyKey: "entry-1");
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(opened["id"]!.GetValue<string>(), (await retried.JsonAsync())!["id"]!.GetValue<string>());
        Assert.Single(await PositionsAsync("fe-pause"));

        var beyondBalance = await ForceAsync("fe-pause", """{"symbol":"BTCUSDT","quoteAmount":20000}""", idempotencyKey: "entry-big");
        Assert.Equal(HttpStatusCode.Conflict, beyondBalance.StatusCode);
        Assert.Contains("insufficient USDT balance", (await beyondBalance.JsonAsync())!["detail"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Created, (await ForceAsync("fe-pause", """{"symbol":"BTCUSDT","quoteAmount":10}""", "entry-2")).StatusCode);
        var full = await ForceAsync("fe-pause", """{"symbol":"BTCUSDT","quoteAmount":10}""", idempotencyKey: "entry-3");
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        var problem = (await full.JsonAsync())!;
        Assert.Contains("at most 2", problem["detail"]!.GetValue<string>());
        Assert.Equal(2, problem["openPositions"]!.GetValue<int>());
        // A retry of a request that did open a position still gets it, full or not.
        Assert.Equal(HttpStatusCode.Created, (await ForceAsync("fe-pause", """{"symbol":"ETHUSDT"}""", idempotencyKey: "entry-1")).StatusCode);

        Assert.Equal(2, (await PositionsAsync("fe-pause")).Count);
        var status = await Client.StatusAsync("fe-pause");
        Assert.Equal(("Paused", 2), (status.State(), status["openPositions"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Stopped_or_never_started_engines_answer_409_lifecycle_conflict_and_open_nothing()
    {
        await EngineAsync("fe-stop", stopLossPct: 50m);
        (await Client.PostAsync("/api/engines/fe-stop/stop", null)).EnsureSuccessStatusCode();
        await EngineAsync("fe-idle", stopLossPct: 50m, start: false);

        foreach (var (id, state) in new[] { ("fe-stop", "Stopped"), ("fe-idle", "Enabled") })
        {
            var response = await ForceAsync(id, """{"symbol":"BTCUSDT","quoteAmount":25}""");

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var problem = (await response.JsonAsync())!;
            Assert.Equal("https://cts.dev/problems/lifecycle-conflict", problem["type"]!.GetValue<string>());
            Assert.Equal(state, problem["currentState"]!.GetValue<string>());
            Assert.Contains("start", problem["allowedActions"].Strings());
            Assert.Empty(await PositionsAsync(id));
        }
        var audit = (await (await Client.GetAsync("/api/engines/fe-stop/audit")).JsonAsync())!["entries"]!.AsArray();
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "force-entry" && e["outcome"]!.GetValue<string>() == "refused");
    }

    [Fact]
    public async Task An_unknown_symbol_or_a_bad_amount_is_400_for_that_field_and_opens_nothing()
    {
        await EngineAsync("fe-bad", stopLossPct: 50m);
        (string Body, string Field)[] cases =
        [
            ("""{"symbol":"SOLUSDT","quoteAmount":25}""", "symbol"),
            ("""{"quoteAmount":25}""", "symbol"),
            ("""{"symbol":"BTCUSDT","quoteAmount":0}""", "quoteAmount"),
            ("""{"symbol":"BTCUSDT","quoteAmount":-5}""", "quoteAmount"),
            ("""{"symbol":"BTCUSDT","quoteAmount":"lots"}""", "quoteAmount"),
            ("""{"symbol":"BTCUSDT","quoteAmount":true}""", "quoteAmount"),
            ("""{"symbol":"BTCUSDT","quoteAmount":5000000}""", "quoteAmount"),
            ("""{"symbol":"BTCUSDT","quoteAmount":25,"leverage":10}""", "leverage"),
        ];

        foreach (var (body, field) in cases)
        {
            var response = await ForceAsync("fe-bad", body);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {response.StatusCode}");
            Assert.True((await response.JsonAsync())!["errors"]?[field] is not null, $"{body}: no error for {field}");
        }
        Assert.Empty(await PositionsAsync("fe-bad"));
        Assert.Equal(HttpStatusCode.NotFound, (await ForceAsync("fe-ghost", """{"symbol":"BTCUSDT"}""")).StatusCode);
    }
}
