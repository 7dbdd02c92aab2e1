using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Resilience;

/// <summary>Azurite stopped for 20 s under a real host process with trading engines.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageOutageTests(AzuriteFixture azurite)
{
    private static readonly string[] Engines = ["out-a", "out-b"];

    [Fact]
    public async Task Twenty_seconds_without_storage_degrade_the_engines_open_nothing_lose_nothing_and_they_recover()
    {
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix(),
            settings: new Dictionary<string, string?> { ["cts__engine__healthFlushSeconds"] = "1" });
        await host.StartAsync();
        var client = host.Client;
        await client.StartEagerEnginesAsync(Engines);
        foreach (var id in Engines)
        {
            await Eventually.UntilAsync(() => client.StatusAsync(id), s => s["openPositions"]!.GetValue<int>() >= 1,
                TimeSpan.FromSeconds(15), $"{id} opens a position", () => host.OutputTail());
        }
        var positionsBefore = await IdsAsync(client, "/api/positions?top=1000", "positions", p => p["id"]!.GetValue<string>());
        var auditBefore = await IdsAsync(client, "/api/audit?top=1000", "entries", e => $"{e["at"]}|{e["action"]}|{e["connectionId"]}");
        var openBefore = new Dictionary<string, int>();
        foreach (var id in Engines)
        {
            openBefore[id] = (await client.StatusAsync(id))["openPositions"]!.GetValue<int>();
        }

        await azurite.StopAsync();
        var outage = DateTimeOffset.UtcNow;
        var restoring = DateTimeOffset.MaxValue;
        try
        {
            foreach (var id in Engines)
            {
                var degraded = await Eventually.UntilAsync(() => client.StatusAsync(id), s => s["degraded"]?.GetValue<string>() == "storage",
                    TimeSpan.FromSeconds(15), $"{id} reports degraded storage", () => host.OutputTail());
                Assert.Equal("Running", degraded.State());
            }
            await Eventually.UntilAsync(async () => (int)(await client.GetAsync("/health/ready")).StatusCode, code => code == 503,
                TimeSpan.FromSeconds(10), "readiness reports the storage outage");
            while (DateTimeOffset.UtcNow - outage < TimeSpan.FromSeconds(20))
            {
                foreach (var id in Engines)
                {
                    var status = await client.StatusAsync(id);
                    Assert.True(status["openPositions"]!.GetValue<int>() <= openBefore[id], $"{id} opened a position during the outage");
                }
                await Task.Delay(500);
            }
        }
        finally
        {
            // The outage ends when storage starts coming back: engines may trade as soon as it answers.
            restoring = DateTimeOffset.UtcNow;
            await azurite.StartAsync();
        }

        foreach (var id in Engines)
        {
            var status = await Eventually.UntilAsync(() => client.StatusAsync(id), s => s["degraded"] is null && s.State() == "Running",
                TimeSpan.FromSeconds(20), $"{id} clears degraded after storage returns", () => host.OutputTail());
            var runs = status.Runs("realtime");
            await Eventually.UntilAsync(() => client.StatusAsync(id), s => s.Runs("realtime") > runs, TimeSpan.FromSeconds(5), $"{id} keeps cycling");
        }
        Assert.True(host.IsRunning, "the host survived the outage");
        await Eventually.UntilAsync(async () => (int)(await client.GetAsync("/health/ready")).StatusCode, code => code == 200,
            TimeSpan.FromSeconds(10), "readiness recovers with storage");
        var positionsAfter = await client.GetFromJsonAsync<JsonObject>("/api/positions?top=1000");
        var afterIds = positionsAfter!["positions"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToHashSet();
        Assert.Subset(afterIds, positionsBefore);
        Assert.DoesNotContain(positionsAfter["positions"]!.AsArray(),
            p => p!["openedAt"]!.GetValue<DateTimeOffset>() is var at && at > outage && at < restoring);
        var auditAfter = await IdsAsync(client, "/api/audit?top=1000", "entries", e => $"{e["at"]}|{e["action"]}|{e["connectionId"]}");
        Assert.Subset(auditAfter, auditBefore);
    }

    private static async Task<HashSet<string>> IdsAsync(HttpClient client, string url, string property, Func<JsonNode, string> key)
    {
        var body = await client.GetFromJsonAsync<JsonObject>(url);
        return body![property]!.AsArray().Select(n => key(n!)).ToHashSet();
    }
}
