using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Tests.Backups;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Api;

/// <summary>
/// Updates as HTTP says: PUT is a full replacement (a missing required field is 400, never a silent reset), and PATCH
/// is a JSON Merge Patch (RFC 7396) on connections, presets and settings with the same validation, If-Match, audit and
/// backups as PUT.
/// </summary>
public sealed class MergePatchApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private async Task<JsonNode> GetAsync(string url) => (await (await Client.GetAsync(url)).JsonAsync())!;

    private static async Task<JsonObject> ErrorsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["errors"]!.AsObject();
    }

    private async Task<List<JsonNode>> AuditAsync(string? connectionId = null) =>
        (await GetAsync(connectionId is null ? "/api/audit?top=1000" : $"/api/audit?connectionId={connectionId}&top=1000"))["entries"]!
            .AsArray().Select(e => e!).ToList();

    [Fact]
    public async Task A_PUT_without_a_required_field_is_400_naming_it_and_resets_nothing()
    {
        await Client.PatchSettingsAsync(new { retentionDays = 14 });
        var settings = await Client.PutAsJsonAsync("/api/settings", new { connectionMonitorSeconds = 30 });
        Assert.Equal(["autoRestartOnConfigChange", "autoStartOnBoot", "exchangeTimeoutSeconds", "maxConsecutiveCycleFailures", "retentionDays", "startRetry"],
            (await ErrorsAsync(settings)).Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(14, (await GetAsync("/api/settings"))["retentionDays"]!.GetValue<int>()); // the finding: it went back to 7

        (await Client.PostAsJsonAsync("/api/connections", new
        {
            id = "fr1", name = "Full", exchange = "paper", symbols = new[] { "BTCUSDT" }, autoStart = true,
            credentials = new { apiKey = "AKIA0000000000000FR01", apiSecret = "secret-fr1" },
        })).EnsureSuccessStatusCode();
        var partial = await Client.PutAsJsonAsync("/api/connections/fr1", new { name = "Renamed", exchange = "paper", symbols = new[] { "BTCUSDT" } });
        Assert.Equal(["autoStart", "testnet"], (await ErrorsAsync(partial)).Select(e => e.Key).Order(StringComparer.Ordinal));
        var nulls = await Client.PutAsJsonAsync("/api/connections/fr1", new { name = (string?)null, exchange = "paper", symbols = (string[]?)null, testnet = false, autoStart = true });
        Assert.Equal(["name", "symbols"], (await ErrorsAsync(nulls)).Select(e => e.Key).Order(StringComparer.Ordinal));
        var unchanged = await GetAsync("/api/connections/fr1");
        Assert.Equal("Full", unchanged["name"]!.GetValue<string>());
        Assert.True(unchanged["autoStart"]!.GetValue<bool>());
        Assert.Equal(1, unchanged["version"]!.GetValue<long>());

        // Credentials may be left out of a PUT: that keeps them.
        var whole = await Client.PutAsJsonAsync("/api/connections/fr1", new { name = "Whole", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = true });
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.True((await whole.JsonAsync())!["credentials"]!["hasSecret"]!.GetValue<bool>());

        var preset = await Client.PutAsJsonAsync("/api/presets/default", new { name = "Only a name" });
        var missing = (await ErrorsAsync(preset)).Select(e => e.Key).ToHashSet();
        Assert.Subset(missing, new HashSet<string> { "emaFast", "emaSlow", "strategy", "positionSizeQuote", "stopLossPct", "takeProfitPct" });
        Assert.DoesNotContain("trailingStopPct", missing); // optional: absent means unset
        Assert.Equal("Default", (await GetAsync("/api/presets/default"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_connection_PATCH_changes_only_what_it_names_with_validation_If_Match_audit_and_a_backup()
    {
        await Client.CreateEagerEnginesAsync(start: false, "mp1");
        var created = await Client.GetAsync("/api/connections/mp1");
        var etag = created.Headers.ETag!;

        var renamed = new HttpRequestMessage(HttpMethod.Patch, "/api/connections/mp1") { Content = ApiClient.MergePatch(new { name = "Renamed" }) };
        renamed.Headers.IfMatch.Add(etag);
        var response = await Client.SendAsync(renamed);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = (await response.JsonAsync())!;
        Assert.Equal("Renamed", body["name"]!.GetValue<string>());
        Assert.Equal(["BTCUSDT", "ETHUSDT"], body["symbols"].Strings());
        Assert.Equal("eager", body["presetId"]!.GetValue<string>());
        Assert.Equal(2, body["version"]!.GetValue<long>());
        Assert.NotEqual(etag, response.Headers.ETag);
        var entry = Assert.Single(await AuditAsync("mp1"), e => e["action"]!.GetValue<string>() == "connection.update");
        Assert.Equal("changed: name", entry["reason"]!.GetValue<string>());
        var backup = await Host.NewestCoveringAsync(s => s.HasConnection("mp1", "Renamed"), "the patched connection");
        Assert.Contains("patch-connections", backup, StringComparison.Ordinal);

        // The same If-Match again is stale; nothing is written.
        var stale = new HttpRequestMessage(HttpMethod.Patch, "/api/connections/mp1") { Content = ApiClient.MergePatch(new { name = "Lost" }) };
        stale.Headers.IfMatch.Add(etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Client.SendAsync(stale)).StatusCode);

        // Validation is the PUT's: a bad symbol, a preset that does not exist, a required field removed.
        Assert.NotNull((await ErrorsAsync(await Client.PatchMergeAsync("/api/connections/mp1", new { symbols = new[] { "btc/usdt" } })))["symbols"]);
        Assert.NotNull((await ErrorsAsync(await Client.PatchMergeAsync("/api/connections/mp1", new { presetId = "ghost" })))["presetId"]);
        Assert.NotNull((await ErrorsAsync(await Client.PatchMergeAsync("/api/connections/mp1", new JsonObject { ["name"] = null })))["name"]);
        Assert.NotNull((await ErrorsAsync(await Client.PatchMergeAsync("/api/connections/mp1", new { id = "other" })))["id"]);
        Assert.Equal("Renamed", (await GetAsync("/api/connections/mp1"))["name"]!.GetValue<string>());
        Assert.Equal(2, (await GetAsync("/api/connections/mp1"))["version"]!.GetValue<long>());

        // Arrays replace; null removes an optional field (the default preset again) or the credentials.
        (await Client.PatchMergeAsync("/api/connections/mp1", new { credentials = new { apiKey = "AKIA0000000000000MP01", apiSecret = "secret-mp1" } }))
            .EnsureSuccessStatusCode();
        Assert.True((await GetAsync("/api/connections/mp1"))["credentials"]!["hasSecret"]!.GetValue<bool>());
        var removed = await Client.PatchMergeAsync("/api/connections/mp1",
            new JsonObject { ["symbols"] = new JsonArray("SOLUSDT"), ["presetId"] = null, ["credentials"] = null });
        Assert.True(removed.StatusCode == HttpStatusCode.OK, await removed.Content.ReadAsStringAsync());
        var after = (await removed.JsonAsync())!;
        Assert.Equal(["SOLUSDT"], after["symbols"].Strings());
        Assert.Null(after["presetId"]);
        Assert.Null(after["credentials"]);
        var last = (await AuditAsync("mp1")).First(e => e["action"]!.GetValue<string>() == "connection.update");
        Assert.Equal(["credentials", "presetId", "symbols"], Cts.Functions.Tests.Config.SettingsApiTests.ChangedFieldNames(last["reason"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.NotFound, (await Client.PatchMergeAsync("/api/connections/ghost", new { name = "x" })).StatusCode);
    }

    [Fact]
    public async Task A_merge_patch_merges_objects_and_null_removes_optional_fields_of_settings_and_presets()
    {
        await Client.PatchSettingsAsync(new { startRetry = new { maxAttempts = 2 }, retentionDays = 30 });
        var settings = await GetAsync("/api/settings");
        Assert.Equal(2, settings["startRetry"]!["maxAttempts"]!.GetValue<int>());
        Assert.Equal(2, settings["startRetry"]!["baseDelaySeconds"]!.GetValue<int>()); // merged, not replaced
        Assert.Equal(60, settings["startRetry"]!["maxDelaySeconds"]!.GetValue<int>());
        Assert.Equal(30, settings["retentionDays"]!.GetValue<int>());
        Assert.Equal(30, settings["connectionMonitorSeconds"]!.GetValue<int>());
        var audit = Assert.Single(await AuditAsync(), e => e["action"]!.GetValue<string>() == "settings.update");
        Assert.Equal(["retentionDays", "startRetry"], Cts.Functions.Tests.Config.SettingsApiTests.ChangedFieldNames(audit["reason"]!.GetValue<string>()));
        Assert.NotNull((await ErrorsAsync(await Client.PatchMergeAsync("/api/settings", new JsonObject { ["retentionDays"] = null })))["retentionDays"]);
        Assert.NotNull((await ErrorsAsync(await Client.PatchMergeAsync("/api/settings", new { startRetry = new { maxDelaySeconds = 1 } })))["startRetry.maxDelaySeconds"]);
        Assert.Equal(60, (await GetAsync("/api/settings"))["startRetry"]!["maxDelaySeconds"]!.GetValue<int>());

        (await Client.PostAsJsonAsync("/api/presets", new { id = "mpp", name = "Patched", trailingStopPct = 1.5m, indicationsMs = 1000 })).EnsureSuccessStatusCode();
        var patched = await Client.PatchMergeAsync("/api/presets/mpp", new JsonObject { ["trailingStopPct"] = null, ["emaFast"] = 4 });
        Assert.True(patched.StatusCode == HttpStatusCode.OK, await patched.Content.ReadAsStringAsync());
        var preset = await GetAsync("/api/presets/mpp");
        Assert.Null(preset["trailingStopPct"]);
        Assert.Equal(4, preset["emaFast"]!.GetValue<int>());
        Assert.Equal(1000, preset["indicationsMs"]!.GetValue<int>());
        Assert.Equal("Patched", preset["name"]!.GetValue<string>());
        Assert.Equal(2, preset["version"]!.GetValue<long>());
        Assert.NotNull((await ErrorsAsync(await Client.PatchMergeAsync("/api/presets/mpp", new JsonObject { ["emaFast"] = null })))["emaFast"]);
        Assert.NotNull((await ErrorsAsync(await Client.PatchMergeAsync("/api/presets/mpp", new { emaFast = 50, emaSlow = 10 })))["emaSlow"]);
        Assert.Equal(4, (await GetAsync("/api/presets/mpp"))["emaFast"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PatchMergeAsync("/api/presets/ghost", new { emaFast = 4 })).StatusCode);
    }
}
