using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Tests.Config;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Backups;

/// <summary>
/// Import and restore are configuration changes like any other: each applied one leaves a <c>config.import</c> or
/// <c>config.restore</c> entry naming the caller and what changed, plus the usual per-item entries (field names only);
/// a refused one is audited as refused; a dry run adds nothing.
/// </summary>
public sealed class ConfigImportAuditTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private const string CorrelationHeader = "X-Correlation-Id";
    private const string PlainKey = "PLAINKEYauditabcdefghij1234";
    private const string PlainSecret = "PLAINSECRETauditqwertyuiop5678";

    [Fact]
    public async Task A_restore_is_audited_with_the_caller_the_backup_and_the_connections_presets_and_settings_it_changed()
    {
        await Client.PatchSettingsAsync(new { retentionDays = 10 });
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/api/presets", Preset("ra", 50m))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/api/connections",
            new { id = "ra1", name = "First", exchange = "paper", symbols = new[] { "BTCUSDT" }, presetId = "ra" })).StatusCode);
        var backup = await Host.NewestCoveringAsync(s => s.Settings?.RetentionDays == 10 && s.HasPreset("ra", 50m) && s.HasConnection("ra1", "First"),
            "settings, preset and connection");
        await Client.PatchSettingsAsync(new { retentionDays = 20 });
        (await Client.PutAsJsonAsync("/api/presets/ra", Preset("ra", 75m))).EnsureSuccessStatusCode();
        (await Client.PutAsJsonAsync("/api/connections/ra1",
            new { name = "Second", exchange = "paper", symbols = new[] { "ETHUSDT" }, presetId = "ra", testnet = false, autoStart = false })).EnsureSuccessStatusCode();

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/config/backups/{backup}/restore");
        request.Headers.Add(CorrelationHeader, "corr-restore-1");
        var restore = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        var backupBefore = (await restore.JsonAsync())!["backupBefore"]!.GetValue<string>();
        var all = await AuditAsync();
        var summary = Assert.Single(all, e => Action(e) == "config.restore");
        Assert.Equal("test-admin", summary["actor"]!.GetValue<string>());
        Assert.Equal("changed", summary["outcome"]!.GetValue<string>());
        Assert.Equal("corr-restore-1", summary["correlationId"]!.GetValue<string>());
        var reason = summary["reason"]!.GetValue<string>();
        Assert.StartsWith($"restore of backup {backup}", reason, StringComparison.Ordinal);
        Assert.Contains("connection updated: ra1", reason, StringComparison.Ordinal);
        Assert.Contains("preset updated: ra", reason, StringComparison.Ordinal);
        Assert.Contains("settings updated", reason, StringComparison.Ordinal);
        Assert.Contains($"backup before: {backupBefore}", reason, StringComparison.Ordinal);

        // Each item also in its usual place: the connection's own trail, and the preset and settings entries.
        var connection = Assert.Single(await AuditAsync("ra1"), e => IsFrom(e, "corr-restore-1"));
        Assert.Equal("connection.update", Action(connection));
        Assert.Equal("test-admin", connection["actor"]!.GetValue<string>());
        Assert.Equal($"changed: name, symbols (restore of backup {backup})", connection["reason"]!.GetValue<string>());
        var preset = Assert.Single(all, e => Action(e) == "preset.update" && IsFrom(e, "corr-restore-1"));
        Assert.Equal($"preset ra: changed: positionSizeQuote (restore of backup {backup})", preset["reason"]!.GetValue<string>());
        var settings = Assert.Single(all, e => Action(e) == "settings.update" && IsFrom(e, "corr-restore-1"));
        Assert.Equal($"changed: retentionDays (restore of backup {backup})", settings["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_import_is_audited_per_item_without_secrets_and_a_dry_run_adds_no_entry()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/api/connections", new
        {
            id = "ia1", name = "Audited", exchange = "paper", symbols = new[] { "BTCUSDT" },
            credentials = new { apiKey = PlainKey, apiSecret = PlainSecret },
        })).StatusCode);
        var export = (await (await Client.GetAsync("/api/config/export")).JsonAsync())!;
        var connections = export["connections"]!.AsArray();
        var added = connections[0]!.DeepClone();
        added["id"] = "ia2";
        connections.Add(added);
        connections[0]!["symbols"] = new JsonArray("ETHUSDT", "BTCUSDT");
        var protectedSecret = added["credentials"]!["protectedApiSecret"]!.GetValue<string>();
        var before = await AuditAsync();

        var dry = await Client.PostJsonAsync("/api/config/import?dryRun=true", export.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.Equal(before.Select(e => e.ToJsonString()), (await AuditAsync()).Select(e => e.ToJsonString()));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/config/import")
        {
            Content = new StringContent(export.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(CorrelationHeader, "corr-import-1");
        var real = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        var all = await AuditAsync();
        var summary = Assert.Single(all, e => Action(e) == "config.import");
        Assert.Equal("test-admin", summary["actor"]!.GetValue<string>());
        Assert.Equal("corr-import-1", summary["correlationId"]!.GetValue<string>());
        var reason = summary["reason"]!.GetValue<string>();
        Assert.StartsWith("import;", reason, StringComparison.Ordinal);
        Assert.Contains("connection created: ia2", reason, StringComparison.Ordinal);
        Assert.Contains("connection updated: ia1", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("preset", reason, StringComparison.Ordinal);

        var updated = Assert.Single(await AuditAsync("ia1"), e => IsFrom(e, "corr-import-1"));
        Assert.Equal("connection.update", Action(updated));
        Assert.Equal("changed: symbols (import)", updated["reason"]!.GetValue<string>());
        var created = Assert.Single(await AuditAsync("ia2"));
        Assert.Equal("connection.create", Action(created));
        Assert.Equal("test-admin", created["actor"]!.GetValue<string>());
        Assert.Contains("credentials", SettingsApiTests.ChangedFieldNames(created["reason"]!.GetValue<string>().Replace(" (import)", "")));
        var text = string.Join("\n", all.Select(e => e.ToJsonString()));
        Assert.DoesNotContain(PlainKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(PlainSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(protectedSecret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_refused_for_a_running_engine_is_audited_as_refused_naming_it()
    {
        await Client.StartPaperEngineAsync("iar");
        var export = (await (await Client.GetAsync("/api/config/export")).JsonAsync())!;
        export["connections"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == "iar")!["name"] = "Imported";

        var import = await Client.PostJsonAsync("/api/config/import", export.ToJsonString());

        Assert.Equal(HttpStatusCode.Conflict, import.StatusCode);
        var entry = Assert.Single(await AuditAsync(), e => Action(e) == "config.import");
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
        Assert.Equal("test-admin", entry["actor"]!.GetValue<string>());
        Assert.Equal("import; refused: active engines would change: iar", entry["reason"]!.GetValue<string>());
        Assert.DoesNotContain(await AuditAsync("iar"), e => Action(e) == "connection.update");
    }

    private static object Preset(string id, decimal size) => new
    {
        id, name = $"Preset {id}", strategy = "ema-crossover", emaFast = 3, emaSlow = 8, useRsiFilter = false, rsiPeriod = 14,
        rsiOversold = 30.0, rsiOverbought = 70.0, positionSizeQuote = size, maxOpenPositions = 2, stopLossPct = 1.5m, takeProfitPct = 3m,
    };

    private static string Action(JsonNode entry) => entry["action"]!.GetValue<string>();

    private static bool IsFrom(JsonNode entry, string correlationId) => entry["correlationId"]?.GetValue<string>() == correlationId;

    /// <summary>The audit trail through the API, newest first: one connection's, or everything.</summary>
    private async Task<List<JsonNode>> AuditAsync(string? connectionId = null)
    {
        var query = connectionId is null ? "/api/audit?top=1000" : $"/api/audit?connectionId={connectionId}&top=1000";
        var response = await Client.GetAsync(query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync())!["entries"]!.AsArray().Select(e => e!).ToList();
    }
}
