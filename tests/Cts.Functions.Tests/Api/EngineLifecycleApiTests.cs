using System.Net;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Api;

/// <summary>The engine lifecycle driven through the HTTP pipeline, with the real silo and storage.</summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class EngineLifecycleApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task Engine_runs_pauses_resumes_and_after_stop_its_counters_never_advance()
    {
        await Client.CreatePaperConnectionAsync("paper-btc", "BTCUSDT", "ETHUSDT");
        var enable = await (await Client.PostAsync("/api/connections/paper-btc/enable", null)).JsonAsync();
        Assert.Equal("Enabled", enable!["status"]!.State());

        var start = await Client.PostAsync("/api/engines/paper-btc/start", null);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var started = (await start.JsonAsync())!;
        Assert.True(started["changed"]!.GetValue<bool>());
        Assert.Equal("Running", started["status"]!.State());
        Assert.Equal(["pause", "stop", "restart"], started["status"]!["allowedActions"].Strings());

        var running = await Eventually.UntilAsync(() => Client.StatusAsync("paper-btc"),
            s => s.Runs("indications") >= 2 && s.Runs("strategies") >= 2 && s.Runs("realtime") >= 3,
            TimeSpan.FromSeconds(10), "every processor runs");
        Assert.Equal(0, running["processors"]!["indications"]!["failures"]!.GetValue<long>());
        Assert.NotNull(running["processors"]!["realtime"]!["p95LatencyMs"]);

        var paused = (await (await Client.PostAsync("/api/engines/paper-btc/pause", null)).JsonAsync())!;
        Assert.Equal("Paused", paused["status"]!.State());
        // Paused still manages positions: the realtime processor keeps running.
        var realtimeAtPause = paused["status"]!.Runs("realtime");
        await Eventually.UntilAsync(async () => (await Client.StatusAsync("paper-btc")).Runs("realtime") > realtimeAtPause + 2,
            TimeSpan.FromSeconds(10), "realtime keeps running while paused");

        var resumed = (await (await Client.PostAsync("/api/engines/paper-btc/resume", null)).JsonAsync())!;
        Assert.Equal("Running", resumed["status"]!.State());

        var stop = await Client.PostAsync("/api/engines/paper-btc/stop", null);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        var stopped = (await stop.JsonAsync())!["status"]!;
        Assert.Equal("Stopped", stopped.State());

        await Task.Delay(ThreeIntervals);
        var after = await Client.StatusAsync("paper-btc");
        Assert.Equal("Stopped", after.State());
        foreach (var processor in new[] { "indications", "strategies", "realtime" })
        {
            Assert.Equal(stopped.Runs(processor), after.Runs(processor));
        }
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("restart")]
    public async Task Action_not_allowed_in_Enabled_is_409_with_current_state_and_allowed_actions(string action)
    {
        await Client.CreatePaperConnectionAsync("p1");
        (await Client.PostAsync("/api/connections/p1/enable", null)).EnsureSuccessStatusCode();

        var response = await Client.PostAsync($"/api/engines/p1/{action}", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.JsonAsync())!;
        Assert.Equal(409, problem["status"]!.GetValue<int>());
        Assert.Equal("Enabled", problem["currentState"]!.GetValue<string>());
        Assert.Equal(["disable", "start", "delete"], problem["allowedActions"].Strings());
    }

    [Fact]
    public async Task Start_of_an_Idle_engine_is_409_and_start_while_Running_is_a_no_op()
    {
        await Client.CreatePaperConnectionAsync("p2");
        var refused = await Client.PostAsync("/api/engines/p2/start", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("Idle", (await refused.JsonAsync())!["currentState"]!.GetValue<string>());

        (await Client.PostAsync("/api/connections/p2/enable", null)).EnsureSuccessStatusCode();
        (await Client.PostAsync("/api/engines/p2/start", null)).EnsureSuccessStatusCode();
        var again = (await (await Client.PostAsync("/api/engines/p2/start", null)).JsonAsync())!;
        Assert.False(again["changed"]!.GetValue<bool>());
        Assert.Equal("Running", again["status"]!.State());

        var stop = (await (await Client.PostAsync("/api/engines/p2/stop", null)).JsonAsync())!;
        Assert.True(stop["changed"]!.GetValue<bool>());
        var stopAgain = (await (await Client.PostAsync("/api/engines/p2/stop", null)).JsonAsync())!;
        Assert.False(stopAgain["changed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Restart_passes_through_Stopped_and_comes_back_Running()
    {
        await Client.StartPaperEngineAsync("p3");
        var restart = (await (await Client.PostAsync("/api/engines/p3/restart", null)).JsonAsync())!;
        Assert.True(restart["changed"]!.GetValue<bool>());
        Assert.Equal("Running", restart["status"]!.State());
        var audit = (await (await Client.GetAsync("/api/engines/p3/audit")).JsonAsync())!["entries"]!.AsArray();
        var entry = audit.First(e => e!["action"]!.GetValue<string>() == "restart")!;
        Assert.Equal("Running", entry["fromState"]!.GetValue<string>());
        Assert.Equal("Running", entry["toState"]!.GetValue<string>());
        Assert.Equal("changed", entry["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hundred_concurrent_starts_make_one_engine_with_a_single_transition_to_Running()
    {
        await Client.CreatePaperConnectionAsync("busy");
        (await Client.PostAsync("/api/connections/busy/enable", null)).EnsureSuccessStatusCode();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Client.PostAsync("/api/engines/busy/start", null)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.JsonAsync()));
        Assert.Equal(1, bodies.Count(b => b!["changed"]!.GetValue<bool>()));
        Assert.All(bodies, b => Assert.Equal("Running", b!["status"]!.State()));

        var audit = (await (await Client.GetAsync("/api/engines/busy/audit?top=1000")).JsonAsync())!["entries"]!.AsArray();
        var starts = audit.Where(e => e!["action"]!.GetValue<string>() == "start").ToList();
        Assert.Equal(100, starts.Count);
        var transition = Assert.Single(starts, e => e!["outcome"]!.GetValue<string>() == "changed");
        Assert.Equal("Enabled", transition!["fromState"]!.GetValue<string>());
        Assert.Equal("Running", transition["toState"]!.GetValue<string>());
        Assert.All(starts.Where(e => e != transition), e => Assert.Equal("no-op", e!["outcome"]!.GetValue<string>()));

        var all = (await (await Client.GetAsync("/api/engines")).JsonAsync())!;
        Assert.Equal(1, all["count"]!.GetValue<int>());
    }
}
