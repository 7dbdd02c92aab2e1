using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Cts.Functions.Tests.Processes;

namespace Cts.Functions.Tests.Resilience;

/// <summary>
/// A stop whose Stopping is persisted but whose last writes storage refuses (<see cref="StorageRefusal"/> in the host's
/// table client): the caller is told, no cycle runs again, and the engine does not stay Stopping — it completes to
/// Stopped on its own once storage takes the write, or when the next command arrives (SPEC §3: Stopping completes to
/// Stopped).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StopUnderStorageFailureTests(AzuriteFixture azurite)
{
    /// <summary>
    /// Refused with a 503, or timed out on every try (the storage client's retry then gives up with an aggregate of
    /// cancelled tries: seen in a 10,000-engine run, where that was not taken for an outage, the stop answered 500 and
    /// the engine stayed Stopping for good).
    /// </summary>
    [Theory]
    [InlineData("owed-a", false)]
    [InlineData("owed-t", true)]
    public async Task A_stop_whose_last_write_fails_completes_to_Stopped_on_its_own_once_storage_takes_it(string id, bool timesOut)
    {
        var refusal = new StorageRefusal(timesOut);
        await using var host = new CtsAppFactory(azurite, configureServices: refusal.Install);
        using var client = host.CreateClient(Roles.Admin);
        var stopped = await StopWithStoppedRefusedAsync(client, refusal, id);

        // Nothing cycles once Stopping is persisted, however long the rest of the stop takes.
        var runs = stopped.Runs("realtime");
        await Task.Delay(TimeSpan.FromMilliseconds(CtsAppFactory.RealtimeMs * 5));
        var still = await client.StatusAsync(id);
        Assert.Equal("Stopping", still.State());
        Assert.Equal(runs, still.Runs("realtime"));

        refusal.Lift();
        await Eventually.UntilAsync(() => client.StatusAsync(id), s => s.State() == "Stopped", TimeSpan.FromSeconds(30),
            "the owed stop completes without any request once storage takes its writes");
        var rows = new EngineStateTable(azurite.ConnectionString, host.Prefix);
        await Eventually.UntilAsync(() => rows.ReadAsync([id]), r => r.Single().State == "Stopped", TimeSpan.FromSeconds(10),
            "Stopped is what storage holds");
        // Who asked and that it failed (kept while degraded, written by the catch-up), then the system completing it.
        var audit = (await client.GetFromJsonAsync<JsonObject>($"/api/engines/{id}/audit"))!["entries"]!.AsArray();
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "stop" && e["actor"]!.GetValue<string>() != "system"
            && e["outcome"]!.GetValue<string>() == "failed" && e["fromState"]!.GetValue<string>() == "Running"
            && e["toState"]!.GetValue<string>() == "Stopping");
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "stop" && e["actor"]!.GetValue<string>() == "system"
            && e["outcome"]!.GetValue<string>() == "changed" && e["toState"]!.GetValue<string>() == "Stopped");
    }

    [Fact]
    public async Task A_start_sent_to_an_engine_still_owing_its_stop_completes_the_stop_and_starts()
    {
        var refusal = new StorageRefusal();
        await using var host = new CtsAppFactory(azurite, configureServices: refusal.Install);
        using var client = host.CreateClient(Roles.Admin);
        await StopWithStoppedRefusedAsync(client, refusal, "owed-b");

        // Sent at once: the node's recovery queue tries the owed stop again only after a few seconds.
        refusal.Lift();
        var start = await client.PostAsync("/api/engines/owed-b/start", null);
        Assert.True(start.StatusCode == HttpStatusCode.OK, $"{start.StatusCode}: {await start.Content.ReadAsStringAsync()}");
        await Eventually.UntilAsync(() => client.StatusAsync("owed-b"), s => s.State() == "Running", TimeSpan.FromSeconds(15),
            "the engine runs again");
    }

    /// <summary>A running engine with open positions, stopped while storage refuses every write that says Stopped.</summary>
    private static async Task<JsonNode> StopWithStoppedRefusedAsync(HttpClient client, StorageRefusal refusal, string id)
    {
        await client.StartEagerEnginesAsync(id);
        await Eventually.UntilAsync(() => client.StatusAsync(id), s => s.State() == "Running" && s["openPositions"]!.GetValue<int>() >= 1,
            TimeSpan.FromSeconds(15), $"{id} runs and holds a position");
        refusal.Refuse("\"State\":\"Stopped\"");
        var stop = await client.PostAsync($"/api/engines/{id}/stop", null);
        Assert.True(stop.StatusCode == HttpStatusCode.ServiceUnavailable, $"{stop.StatusCode}: {await stop.Content.ReadAsStringAsync()}");
        Assert.True(refusal.Refusals > 0, "storage refused the write of Stopped");
        var status = await client.StatusAsync(id);
        Assert.Equal("Stopping", status.State());
        return status;
    }
}
