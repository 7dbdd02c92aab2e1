using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Engines;
using Cts.Functions.Live;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Api;

/// <summary>
/// Status-all is read from the status board (a projection fed by the engines' live events), not from one grain call
/// per engine, and it still shows every change: transitions, changes that are not transitions, new and deleted
/// connections.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StatusBoardTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Once_loaded_status_all_asks_no_engine_and_still_shows_their_transitions()
    {
        var calls = new StatusCalls();
        await using var host = new CtsAppFactory(azurite, configureServices: s => s.AddSingleton<IIncomingGrainCallFilter>(calls));
        using var client = host.CreateClient(Roles.Admin);
        await client.StartPaperEngineAsync("board-a");
        await client.StartPaperEngineAsync("board-b");
        await client.CreatePaperConnectionAsync("board-c");
        await ListAsync(client); // the first read loads the board

        var before = calls.Count;
        (await client.PostAsync("/api/engines/board-a/pause", null)).EnsureSuccessStatusCode();
        (await client.PostAsync("/api/engines/board-b/stop", null)).EnsureSuccessStatusCode();
        Dictionary<string, JsonNode> listed = [];
        for (var i = 0; i < 5; i++)
        {
            listed = await ListAsync(client);
        }

        Assert.Equal(before, calls.Count);
        Assert.Equal(["board-a", "board-b", "board-c"], listed.Keys);
        Assert.Equal("Paused", listed["board-a"].State());
        Assert.Equal("Stopped", listed["board-b"].State());
        Assert.Equal("Idle", listed["board-c"].State());
        Assert.Equal(listed["board-a"]["allowedActions"].Strings(), (await client.StatusAsync("board-a"))["allowedActions"].Strings());
    }

    [Fact]
    public async Task Status_all_shows_a_restart_requirement_a_new_connection_and_not_a_deleted_one()
    {
        await using var host = new CtsAppFactory(azurite);
        using var client = host.CreateClient(Roles.Admin);
        await client.StartPaperEngineAsync("keep");
        await client.CreatePaperConnectionAsync("drop");
        Assert.Equal(["drop", "keep"], (await ListAsync(client)).Keys);

        (await client.PutAsJsonAsync("/api/connections/keep", new
        {
            name = "keep", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false,
            credentials = new { apiKey = "AKIA0000000000000000BRD1", apiSecret = "secret-board" },
        })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/connections/drop")).StatusCode);
        await client.CreatePaperConnectionAsync("fresh");

        var listed = await ListAsync(client);
        Assert.Equal(["fresh", "keep"], listed.Keys);
        Assert.True(listed["keep"]["restartRequired"]!.GetValue<bool>());
        Assert.Equal("Running", listed["keep"].State());
        Assert.Equal("Idle", listed["fresh"].State());
    }

    [Fact]
    public async Task A_running_engines_health_reaches_status_all_whether_or_not_a_live_stream_is_open()
    {
        var calls = new StatusCalls();
        await using var host = new CtsAppFactory(azurite, configureServices: s => s.AddSingleton<IIncomingGrainCallFilter>(calls));
        using var client = host.CreateClient(Roles.Admin);
        var bus = host.Services.GetRequiredService<EngineEventBus>();
        await client.StartPaperEngineAsync("board-h");
        var runs = RealtimeRuns((await ListAsync(client))["board-h"]);
        var before = calls.Count;

        // Nobody listens to the live stream: the engine hands its status to the board without publishing it.
        Assert.False(bus.HealthHasAudience);
        runs = await RunsAfterAsync(client, runs);

        using (var stream = await client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead))
        using (var reader = new SseReader(await stream.Content.ReadAsStreamAsync()))
        {
            Assert.True(bus.HealthHasAudience);
            var health = await reader.UntilAsync(
                e => e.Type == "engine-health" && e.Data["connectionId"]!.GetValue<string>() == "board-h", TimeSpan.FromSeconds(15));
            Assert.True(RealtimeRuns(health[^1].Data["data"]!) >= runs);
            runs = await RunsAfterAsync(client, runs);
        }

        await Deadline.In(TimeSpan.FromSeconds(15)).UntilAsync("the closed stream's subscription ends", () => !bus.HealthHasAudience, () => "");
        await RunsAfterAsync(client, runs);
        Assert.Equal(before, calls.Count); // every newer status came from the engine, none from asking it
    }

    private static long RealtimeRuns(JsonNode status) => status["processors"]!["realtime"]!["runs"]!.GetValue<long>();

    /// <summary>Waits until status-all shows the engine's realtime processor past <paramref name="runs"/> runs; returns the runs shown.</summary>
    private static Task<long> RunsAfterAsync(HttpClient client, long runs) =>
        Deadline.In(TimeSpan.FromSeconds(15)).UntilAsync($"status-all shows more than {runs} realtime runs",
            async () => RealtimeRuns((await ListAsync(client))["board-h"]), shown => shown > runs, () => "", TimeSpan.FromMilliseconds(250));

    private static async Task<Dictionary<string, JsonNode>> ListAsync(HttpClient client)
    {
        var page = (await (await client.GetAsync("/api/engines?top=1000")).JsonAsync())!;
        return page["engines"]!.AsArray().ToDictionary(e => e!["connectionId"]!.GetValue<string>(), e => e!);
    }

    /// <summary>Counts status reads that reach engine grains.</summary>
    private sealed class StatusCalls : IIncomingGrainCallFilter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(IEngineGrain.GetStatus))
            {
                Interlocked.Increment(ref _count);
            }
            return context.Invoke();
        }
    }
}
