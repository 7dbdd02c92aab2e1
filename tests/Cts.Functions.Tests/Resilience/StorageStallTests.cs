using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Cts.Functions.Tests.Processes;

namespace Cts.Functions.Tests.Resilience;

/// <summary>
/// Every storage write held for 20 s (<see cref="StorageStall"/> in the host's table client) under trading engines:
/// no cycle waits on a write, no position opens while the state cannot be persisted, and afterwards state, health and
/// audit are caught up and entries resume.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageStallTests(AzuriteFixture azurite)
{
    private static readonly string[] Engines = ["stall-a", "stall-b", "stall-c"];
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(20);
    private const int Checkpoints = 4;

    [Fact]
    public async Task Twenty_seconds_of_stalled_writes_never_stop_a_cycle_open_nothing_and_are_caught_up()
    {
        var stall = new StorageStall();
        await using var host = new CtsAppFactory(azurite, new Dictionary<string, string?>
        {
            ["cts:engine:healthFlushSeconds"] = "1",
            ["cts:engine:intentWriteTimeoutSeconds"] = "2",
        }, stall.Install);
        using var client = host.CreateClient(Roles.Admin);
        using var @operator = host.CreateClient(Roles.Operator);
        await StartEnginesAsync(client);
        foreach (var id in Engines)
        {
            await Eventually.UntilAsync(() => client.StatusAsync(id), s => s["openPositions"]!.GetValue<int>() >= 1,
                TimeSpan.FromSeconds(15), $"{id} opens positions before the stall");
        }
        // The strategy enters on every new one-minute candle: a stall from second 40–55 spans a minute boundary, where
        // every engine would enter if it could.
        await Eventually.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow.Second), s => s is >= 40 and < 55,
            TimeSpan.FromSeconds(65), "the clock is 5–20 s before a minute boundary");
        var before = await StatusesAsync(client);

        // Ended by the test after 20 s; the limit only bounds it if the test fails first.
        stall.Begin(Stall + TimeSpan.FromSeconds(30));
        var deadline = Deadline.In(Stall);
        var seen = before;
        var degradedSince = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var openWhenDegraded = new Dictionary<string, int>(StringComparer.Ordinal);
        HttpStatusCode? forcedDuringStall = null;
        for (var checkpoint = 1; checkpoint <= Checkpoints; checkpoint++)
        {
            var until = Stall * checkpoint / Checkpoints;
            while (deadline.Elapsed < until)
            {
                var now = await StatusesAsync(client);
                foreach (var id in Engines)
                {
                    // Counted from the moment the engine says it cannot persist: an entry whose intent was written just
                    // before the stall may still land before that (checked by time below, after the stall).
                    var open = now[id]["openPositions"]!.GetValue<int>();
                    if (openWhenDegraded.TryGetValue(id, out var atDegraded))
                    {
                        Assert.True(open <= atDegraded,
                            $"{id} opened a position while it reported its state could not be persisted ({atDegraded} open then, {open} now)");
                    }
                    else if (now[id]["degraded"]?.GetValue<string>() == "storage")
                    {
                        degradedSince[id] = DateTimeOffset.UtcNow;
                        openWhenDegraded[id] = open;
                    }
                }
                if (forcedDuringStall is null && degradedSince.ContainsKey("stall-a"))
                {
                    forcedDuringStall = (await @operator.PostAsJsonAsync("/api/engines/stall-a/positions", new { symbol = "BTCUSDT", quoteAmount = 10 })).StatusCode;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
            var current = await StatusesAsync(client);
            foreach (var id in Engines)
            {
                foreach (var processor in new[] { "realtime", "strategies", "indications" })
                {
                    Assert.True(current[id].Runs(processor) > seen[id].Runs(processor),
                        $"{id} {processor} did not cycle during part {checkpoint} of the stall ({seen[id].Runs(processor)} runs before, {current[id].Runs(processor)} after)");
                }
            }
            seen = current;
        }
        var atStallEnd = seen;
        var stallEnd = DateTimeOffset.UtcNow;
        stall.End();

        Assert.True(stall.Held > 0, "the stall held storage writes");
        Assert.Equal(Engines, degradedSince.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, forcedDuringStall);

        // Caught up: no longer degraded, state and health written (at least what was counted when the stall ended).
        foreach (var id in Engines)
        {
            await Eventually.UntilAsync(() => client.StatusAsync(id), s => s["degraded"] is null && s.State() == "Running",
                TimeSpan.FromSeconds(20), $"{id} clears degraded once writes go through");
        }
        var rows = new EngineStateTable(azurite.ConnectionString, host.Prefix);
        await Eventually.UntilAsync(() => rows.ReadAsync(Engines),
            r => r.All(row => row.RealtimeRuns >= atStallEnd[row.Id].Runs("realtime") && row.State == "Running"),
            TimeSpan.FromSeconds(20), "every engine's state and health are persisted after the stall");
        var audit = (await client.GetFromJsonAsync<JsonObject>("/api/engines/stall-a/audit"))!["entries"]!.AsArray();
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "force-entry" && e["outcome"]!.GetValue<string>() == "refused");

        // An entry already under way when the stall began completes after it (its order went out first); once an engine
        // knew it could not persist, none of its positions was opened.
        var positions = (await client.GetFromJsonAsync<JsonObject>("/api/positions?top=1000"))!["positions"]!.AsArray();
        var openedWhileDegraded = positions.Where(p => p!["openedAt"]!.GetValue<DateTimeOffset>() is var at
            && at > degradedSince[p["connectionId"]!.GetValue<string>()] && at < stallEnd).ToList();
        Assert.True(openedWhileDegraded.Count == 0, $"opened while degraded (stall ended {stallEnd:HH:mm:ss.fff}, degraded since "
            + string.Join(", ", degradedSince.Select(d => $"{d.Key} {d.Value:HH:mm:ss.fff}")) + "): "
            + string.Join("; ", openedWhileDegraded.Select(p => p!.ToJsonString())));

        // Entries resume. A 503 says "retry with the same Idempotency-Key" (storage may still be busy with the backlog the
        // stall released); the same key is the same order, so retrying can only ever open this one position.
        var forced = await Eventually.UntilAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/engines/stall-a/positions")
            {
                Content = JsonContent.Create(new { symbol = "BTCUSDT", quoteAmount = 10 }),
            };
            request.Headers.Add("Idempotency-Key", "after-the-stall");
            var response = await @operator.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }, r => r.StatusCode != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20), "a forced entry goes through after the stall");
        Assert.True(forced.StatusCode == HttpStatusCode.Created, $"{forced.StatusCode}: {forced.Body}");
    }

    private static async Task StartEnginesAsync(HttpClient client)
    {
        (await client.PostAsJsonAsync("/api/presets", new
        {
            id = "stall-eager", name = "Stall eager", strategy = "rsi-reversion", rsiOversold = 99.0, rsiOverbought = 99.9,
            positionSizeQuote = 10m, maxOpenPositions = 50, stopLossPct = 50m, takeProfitPct = 50m,
        })).EnsureSuccessStatusCode();
        foreach (var id in Engines)
        {
            (await client.PostAsJsonAsync("/api/connections",
                new { id, name = id, exchange = "paper", symbols = new[] { "BTCUSDT", "ETHUSDT" }, presetId = "stall-eager" })).EnsureSuccessStatusCode();
            (await client.PostAsync($"/api/connections/{id}/enable", null)).EnsureSuccessStatusCode();
            (await client.PostAsync($"/api/engines/{id}/start", null)).EnsureSuccessStatusCode();
        }
    }

    private static async Task<Dictionary<string, JsonNode>> StatusesAsync(HttpClient client)
    {
        var statuses = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var id in Engines)
        {
            statuses[id] = await client.StatusAsync(id);
        }
        return statuses;
    }
}
