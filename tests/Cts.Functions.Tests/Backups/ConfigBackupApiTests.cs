using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Backups;

/// <summary>
/// Snapshots after config changes, export, import (dry run and real), restore, and the 409 for active engines. A change's
/// snapshot follows its response (<see cref="Cts.Functions.Backups.SnapshotPump"/>), so tests wait for the backup.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class ConfigBackupApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private const string PlainKey = "PLAINKEYabcdefghijklmnop1234";
    private const string PlainSecret = "PLAINSECRETqwertyuiopasdfgh5678";

    /// <summary>A whole preset (a PUT must carry every required field).</summary>
    private static object Preset(string id, decimal size) => new
    {
        id, name = $"Preset {id}", strategy = "ema-crossover", emaFast = 3, emaSlow = 8, useRsiFilter = false, rsiPeriod = 14,
        rsiOversold = 30.0, rsiOverbought = 70.0, positionSizeQuote = size, maxOpenPositions = 2, stopLossPct = 1.5m, takeProfitPct = 3m,
    };

    private async Task<string[]> BackupNamesAsync()
    {
        var list = (await (await Client.GetAsync("/api/config/backups")).JsonAsync())!;
        return list["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ToArray();
    }

    private async Task PutAsync(string url, object body)
    {
        var current = await Client.GetAsync(url);
        current.EnsureSuccessStatusCode();
        var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        put.Headers.IfMatch.Add(current.Headers.ETag!);
        var response = await Client.SendAsync(put);
        Assert.True(response.IsSuccessStatusCode, $"PUT {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string? Outcome(JsonNode report, string kind, string id) => report["items"]!.AsArray()
        .FirstOrDefault(i => i!["kind"]!.GetValue<string>() == kind && i["id"]!.GetValue<string>() == id)?["outcome"]!.GetValue<string>();

    [Fact]
    public async Task Every_config_change_is_snapshotted_and_restore_brings_the_earlier_values_back()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/api/presets", Preset("bk", 50m))).StatusCode);
        await Host.NewestCoveringAsync(s => s.HasPreset("bk"), "preset bk");
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/api/connections",
            new { id = "bk1", name = "First", exchange = "paper", symbols = new[] { "BTCUSDT" }, presetId = "bk" })).StatusCode);
        var backup = await Host.NewestCoveringAsync(s => s.HasConnection("bk1", "First") && s.HasPreset("bk", 50m), "bk1 and bk");
        Assert.Matches(@"^\d{8}T\d{9}Z-post-connections\.json$", backup);
        Assert.Equal(2, (await BackupNamesAsync()).Length);
        var connectionVersion = (await (await Client.GetAsync("/api/connections/bk1")).JsonAsync())!["version"]!.GetValue<long>();

        await PutAsync("/api/presets/bk", Preset("bk", 75m));
        await PutAsync("/api/connections/bk1", new { name = "Second", exchange = "paper", symbols = new[] { "ETHUSDT" }, presetId = "bk", testnet = false, autoStart = false });
        var changed = await Host.NewestCoveringAsync(s => s.HasConnection("bk1", "Second") && s.HasPreset("bk", 75m), "both PUTs");
        Assert.Matches(@"-put-(presets|connections)(-put-connections)?\.json$", changed); // the two PUTs may share one
        Assert.Equal("Second", (await (await Client.GetAsync("/api/connections/bk1")).JsonAsync())!["name"]!.GetValue<string>());

        var restore = await Client.PostAsync($"/api/config/backups/{backup}/restore", null);
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        var report = (await restore.JsonAsync())!;
        Assert.Equal("updated", Outcome(report, "connection", "bk1"));
        Assert.Equal("updated", Outcome(report, "preset", "bk"));
        Assert.EndsWith("-before-restore.json", report["backupBefore"]!.GetValue<string>(), StringComparison.Ordinal);

        var connection = (await (await Client.GetAsync("/api/connections/bk1")).JsonAsync())!;
        Assert.Equal("First", connection["name"]!.GetValue<string>());
        Assert.Equal(["BTCUSDT"], connection["symbols"].Strings());
        Assert.True(connection["version"]!.GetValue<long>() > connectionVersion, "a restore is a new version, not a rollback of the version");
        var preset = (await (await Client.GetAsync("/api/presets/bk")).JsonAsync())!;
        Assert.Equal(50m, preset["positionSizeQuote"]!.GetValue<decimal>());

        // The state before the restore was kept, so the restore can be undone.
        var afterRestore = await BackupNamesAsync();
        Assert.Contains(afterRestore, n => n.EndsWith("-before-restore.json", StringComparison.Ordinal));
        Assert.EndsWith("-restore.json", afterRestore[0], StringComparison.Ordinal);
        var again = (await (await Client.PostAsync($"/api/config/backups/{backup}/restore", null)).JsonAsync())!;
        Assert.Equal("unchanged", Outcome(again, "connection", "bk1"));
        Assert.Equal("unchanged", Outcome(again, "preset", "bk"));
    }

    [Fact]
    public async Task Engine_actions_on_a_connection_take_no_snapshot()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/api/connections",
            new { id = "bk-actions", name = "Actions", exchange = "paper", symbols = new[] { "BTCUSDT" } })).StatusCode);
        await Host.NewestCoveringAsync(s => s.HasConnection("bk-actions"), "bk-actions");
        var before = await BackupNamesAsync();
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/api/connections/bk-actions/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/api/connections/bk-actions/disable", null)).StatusCode);

        // A change after the actions gets its backup; had an action asked for one too, it would be a second backup or
        // show in this one's name (requests that share a capture share its name).
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/api/presets", Preset("bk-after", 50m))).StatusCode);
        var after = await Host.NewestCoveringAsync(s => s.HasPreset("bk-after"), "preset bk-after");
        Assert.EndsWith("Z-post-presets.json", after, StringComparison.Ordinal);
        string[] expected = [after, .. before];
        Assert.Equal(expected, await BackupNamesAsync());
    }

    [Fact]
    public async Task Import_dry_run_lists_the_changes_and_writes_nothing_then_a_real_import_applies_them()
    {
        await Client.CreatePaperConnectionAsync("imp1");
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/api/presets", Preset("ip", 50m))).StatusCode);
        await Client.CreatePaperConnectionAsync("keep1");
        var export = (await (await Client.GetAsync("/api/config/export")).JsonAsync())!;
        var connections = export["connections"]!.AsArray();
        var keep = connections.First(c => c!["id"]!.GetValue<string>() == "keep1")!;
        connections.Remove(keep);
        var added = connections[0]!.DeepClone();
        added["id"] = "imp2";
        added["name"] = "Imported";
        connections.Add(added);
        export["presets"]!.AsArray().First(p => p!["id"]!.GetValue<string>() == "ip")!["positionSizeQuote"] = 80m;
        await Host.NewestCoveringAsync(s => s.HasConnection("keep1"), "keep1"); // no snapshot pending any more
        var backupsBefore = await BackupNamesAsync();

        var dry = await Client.PostJsonAsync("/api/config/import?dryRun=true", export.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var report = (await dry.JsonAsync())!;
        Assert.True(report["dryRun"]!.GetValue<bool>());
        Assert.False(report["applied"]!.GetValue<bool>());
        Assert.Equal("created", Outcome(report, "connection", "imp2"));
        Assert.Equal("unchanged", Outcome(report, "connection", "imp1"));
        Assert.Equal("kept", Outcome(report, "connection", "keep1"));
        Assert.Equal("updated", Outcome(report, "preset", "ip"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/connections/imp2")).StatusCode);
        Assert.Equal(50m, (await (await Client.GetAsync("/api/presets/ip")).JsonAsync())!["positionSizeQuote"]!.GetValue<decimal>());
        Assert.Equal(backupsBefore, await BackupNamesAsync());

        var real = await Client.PostJsonAsync("/api/config/import?dryRun=false", export.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.True((await real.JsonAsync())!["applied"]!.GetValue<bool>());
        Assert.Equal("Imported", (await (await Client.GetAsync("/api/connections/imp2")).JsonAsync())!["name"]!.GetValue<string>());
        Assert.Equal(80m, (await (await Client.GetAsync("/api/presets/ip")).JsonAsync())!["positionSizeQuote"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/api/connections/keep1")).StatusCode); // import never deletes
    }

    [Fact]
    public async Task Import_and_restore_are_refused_with_409_naming_a_running_engine()
    {
        await Client.StartPaperEngineAsync("run1");
        var backup = await Host.NewestCoveringAsync(s => s.HasConnection("run1"), "run1"); // right after run1 was created
        await PutAsync("/api/connections/run1", new { name = "Renamed", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false });
        var export = (await (await Client.GetAsync("/api/config/export")).JsonAsync())!;
        export["connections"]!.AsArray().First(c => c!["id"]!.GetValue<string>() == "run1")!["name"] = "Imported";

        var import = await Client.PostJsonAsync("/api/config/import", export.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, import.StatusCode);
        Assert.Equal(["run1"], (await import.JsonAsync())!["engines"].Strings());

        var restore = await Client.PostAsync($"/api/config/backups/{backup}/restore", null);
        Assert.Equal(HttpStatusCode.Conflict, restore.StatusCode);
        var problem = (await restore.JsonAsync())!;
        Assert.Equal(["run1"], problem["engines"].Strings());
        Assert.Contains("run1", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Renamed", (await (await Client.GetAsync("/api/connections/run1")).JsonAsync())!["name"]!.GetValue<string>());

        // A dry run still reports, naming the engine, without refusing.
        var dry = await Client.PostJsonAsync("/api/config/import?dryRun=true", export.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.Equal(["run1"], (await dry.JsonAsync())!["blockedBy"].Strings());
    }

    [Fact]
    public async Task Export_carries_credentials_only_encrypted_and_is_admin_only()
    {
        var created = await Client.PostAsJsonAsync("/api/connections", new
        {
            id = "sec1", name = "Secret", exchange = "paper", symbols = new[] { "BTCUSDT" },
            credentials = new { apiKey = PlainKey, apiSecret = PlainSecret },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var text = await (await Client.GetAsync("/api/config/export")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(PlainSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(PlainKey, text, StringComparison.Ordinal);
        var credentials = JsonNode.Parse(text)!["connections"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == "sec1")!["credentials"]!;
        Assert.False(string.IsNullOrEmpty(credentials["protectedApiSecret"]!.GetValue<string>()));

        // The backup written after the change is no different.
        var name = await Host.NewestCoveringAsync(s => s.HasConnection("sec1"), "sec1");
        var stored = (await Host.AllAsync()).Single(b => b.Name == name).Snapshot!.Connections.Single(c => c.Id == "sec1");
        Assert.DoesNotContain(PlainSecret, System.Text.Json.JsonSerializer.Serialize(stored), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/config/backups/{name}/restore?dryRun=true", null)).StatusCode);

        using var viewer = Host.CreateClient(Cts.Functions.Security.Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/config/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/config/backups")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/archive")).StatusCode);
    }

    [Theory]
    [InlineData("..%2F..%2Fsecrets.json", HttpStatusCode.BadRequest)]
    [InlineData("UPPER.json", HttpStatusCode.BadRequest)]
    [InlineData("20200101T000000000Z-x.txt", HttpStatusCode.BadRequest)]
    [InlineData("20200101T000000000Z-missing.json", HttpStatusCode.NotFound)]
    public async Task Restore_validates_the_name_and_an_unknown_backup_is_404(string name, HttpStatusCode expected)
    {
        Assert.Equal(expected, (await Client.PostAsync($"/api/config/backups/{name}/restore", null)).StatusCode);
    }

    /// <summary>
    /// One valid connection and preset, and one invalid item per rule that create and PUT enforce (what a lenient import
    /// once wrote): no name, an unknown venue (with markup in it), a lower-case symbol, a preset that does not exist.
    /// </summary>
    private const string MixedDocument = """
        {"format":1,"takenAt":"2026-01-01T00:00:00Z","reason":"x",
         "connections":[
           {"id":"ok1","name":"Fine","exchange":"paper","symbols":["BTCUSDT"],"presetId":"mixed-ok","testnet":false,"autoStart":false,
            "version":1,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","credentials":null},
           {"id":"no-name","name":null,"exchange":"paper","symbols":["BTCUSDT"],"presetId":null,"testnet":false,"autoStart":false,
            "version":1,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","credentials":null},
           {"id":"bad-venue","name":"Venue","exchange":"<img src=x onerror=alert(1)>","symbols":["BTCUSDT"],"presetId":null,"testnet":false,
            "autoStart":false,"version":1,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","credentials":null},
           {"id":"lower","name":"Lower","exchange":"paper","symbols":["btc/usdt"],"presetId":null,"testnet":false,"autoStart":false,
            "version":1,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","credentials":null},
           {"id":"ghost-preset","name":"Ghost","exchange":"paper","symbols":["BTCUSDT"],"presetId":"ghost","testnet":false,"autoStart":false,
            "version":1,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","credentials":null}],
         "presets":[{"id":"mixed-ok","name":"Fine"},{"id":"mixed-bad","name":"Bad","positionSizeQuote":0}],
         "settings":null}
        """;

    private static readonly string[] MixedErrors =
        ["connections[1].name", "connections[2].exchange", "connections[3].symbols", "connections[4].presetId", "presets[1].positionSizeQuote"];

    [Fact]
    public async Task An_import_with_any_invalid_item_is_400_per_item_and_field_dry_run_or_not_and_writes_nothing()
    {
        var backupsBefore = await BackupNamesAsync();

        foreach (var url in new[] { "/api/config/import?dryRun=true", "/api/config/import" })
        {
            var response = await Client.PostJsonAsync(url, MixedDocument);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.JsonAsync())!["errors"]!.AsObject();
            Assert.Equal(MixedErrors, errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        }

        // Read back: not even the valid items were written, and nothing was audited or backed up.
        Assert.Empty((await (await Client.GetAsync("/api/connections")).JsonAsync())!["connections"]!.AsArray());
        Assert.Equal(["default"], (await (await Client.GetAsync("/api/presets")).JsonAsync())!["presets"]!.AsArray()
            .Select(p => p!["id"]!.GetValue<string>()));
        Assert.Empty((await (await Client.GetAsync("/api/audit?top=100")).JsonAsync())!["entries"]!.AsArray());
        Assert.Equal(backupsBefore, await BackupNamesAsync());

        var unknown = await Client.PostJsonAsync("/api/config/import", """{"format":1,"bogus":true}""");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.NotNull((await unknown.JsonAsync())!["errors"]!["bogus"]);
    }

    [Fact]
    public async Task A_restore_of_a_backup_with_any_invalid_item_is_400_per_item_and_field_and_writes_nothing()
    {
        await Client.CreatePaperConnectionAsync("kept");
        var keptBefore = (await (await Client.GetAsync("/api/connections/kept")).JsonAsync())!;
        // A backup written before validation was strict: the store takes the document as it is.
        var now = DateTimeOffset.UtcNow;
        var invalid = new Cts.Functions.Backups.ConfigSnapshot(1, now, "legacy",
        [
            new("kept", "Renamed by the restore", "paper", ["ETHUSDT"], null, false, false, 2, now, now),
            new("legacy1", null!, "kraken", ["btc/usdt"], "ghost", false, false, 1, now, now),
        ], [], null);
        var name = await Host.Services.GetRequiredService<Cts.Functions.Backups.BackupStore>().SaveAsync(invalid);

        foreach (var url in new[] { $"/api/config/backups/{name}/restore?dryRun=true", $"/api/config/backups/{name}/restore" })
        {
            var response = await Client.PostAsync(url, null);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.JsonAsync())!["errors"]!.AsObject();
            Assert.Equal(["connections[1].exchange", "connections[1].name", "connections[1].presetId", "connections[1].symbols"],
                errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/connections/legacy1")).StatusCode);
        var kept = (await (await Client.GetAsync("/api/connections/kept")).JsonAsync())!;
        Assert.True(JsonNode.DeepEquals(keptBefore, kept), "the valid item of the refused restore was not written either");
        Assert.DoesNotContain(await BackupNamesAsync(), n => n.EndsWith("-before-restore.json", StringComparison.Ordinal));
    }
}
