using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Config;

/// <summary>
/// What the audit trail keeps: a refused action keeps the operator's reason with the refusal as its outcome detail, a
/// write that changes nothing is <c>no-op</c> (and writes nothing), changed-field lists name every field (credentials
/// included, by name only), and a correlation id is recorded only when it is safe to show.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed partial class AuditDetailTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task A_refused_action_keeps_the_operators_reason_and_records_the_refusal_as_its_outcome_detail()
    {
        await Client.CreatePaperConnectionAsync("ad1");
        (await Client.PostAsync("/api/connections/ad1/enable", null)).EnsureSuccessStatusCode();
        using var operatorClient = Host.CreateClient(Roles.Operator);

        var pause = await operatorClient.PostAsJsonAsync("/api/engines/ad1/pause", new { reason = "lunch break" });

        Assert.Equal(HttpStatusCode.Conflict, pause.StatusCode);
        var entry = Assert.Single(await AuditAsync("ad1"), e => Action(e) == "pause");
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
        Assert.Equal("lunch break", entry["reason"]!.GetValue<string>());
        Assert.Equal("cannot pause an engine that is Enabled", entry["outcomeDetail"]!.GetValue<string>());
        Assert.Equal((await pause.JsonAsync())!["detail"]!.GetValue<string>(), entry["outcomeDetail"]!.GetValue<string>());

        // An accepted action has nothing to add.
        (await operatorClient.PostAsJsonAsync("/api/engines/ad1/start", new { reason = "open" })).EnsureSuccessStatusCode();
        var start = Assert.Single(await AuditAsync("ad1"), e => Action(e) == "start");
        Assert.Equal("open", start["reason"]!.GetValue<string>());
        Assert.Null(start["outcomeDetail"]);
    }

    [Fact]
    public async Task A_connection_PUT_that_changes_nothing_is_a_no_op_entry_and_writes_nothing()
    {
        var created = await Client.PostAsJsonAsync("/api/connections", Connection("ad2", "Same"));
        var etag = created.Headers.ETag!.Tag;

        var put = await Client.PutAsJsonAsync("/api/connections/ad2", Connection("ad2", "Same"));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(etag, put.Headers.ETag!.Tag);
        Assert.Equal(1, (await put.JsonAsync())!["version"]!.GetValue<long>());
        var update = Assert.Single(await AuditAsync("ad2"), e => Action(e) == "connection.update");
        Assert.Equal("no-op", update["outcome"]!.GetValue<string>());
        Assert.Equal("no changes", update["reason"]!.GetValue<string>());

        // The same credentials again are no change either; new ones are.
        var withKey = Connection("ad2", "Same", new { apiKey = "KEY-AD2-0000000001", apiSecret = "secret-ad2-one" });
        (await Client.PutAsJsonAsync("/api/connections/ad2", withKey)).EnsureSuccessStatusCode();
        var again = await Client.PutAsJsonAsync("/api/connections/ad2", withKey);
        Assert.Equal(2, (await again.JsonAsync())!["version"]!.GetValue<long>());
        var updates = (await AuditAsync("ad2")).Where(e => Action(e) == "connection.update").Select(e => e["outcome"]!.GetValue<string>());
        Assert.Equal(["no-op", "changed", "no-op"], updates.Reverse());
    }

    [Fact]
    public async Task Settings_and_preset_PUTs_that_change_nothing_are_no_op_entries_that_keep_the_ETag()
    {
        var first = await Client.PutAsJsonAsync("/api/settings", Settings(retentionDays: 9));
        first.EnsureSuccessStatusCode();
        var same = await Client.PutAsJsonAsync("/api/settings", Settings(retentionDays: 9));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(first.Headers.ETag!.Tag, same.Headers.ETag!.Tag);

        var preset = new
        {
            id = "adp", name = "Quiet", strategy = "ema-crossover", emaFast = 3, emaSlow = 8, useRsiFilter = false, rsiPeriod = 14,
            rsiOversold = 30.0, rsiOverbought = 70.0, positionSizeQuote = 50m, maxOpenPositions = 2, stopLossPct = 2m, takeProfitPct = 4m,
        };
        var createdPreset = await Client.PostAsJsonAsync("/api/presets", preset);
        createdPreset.EnsureSuccessStatusCode();
        var samePreset = await Client.PutAsJsonAsync("/api/presets/adp", preset);
        Assert.Equal(HttpStatusCode.OK, samePreset.StatusCode);
        Assert.Equal(createdPreset.Headers.ETag!.Tag, samePreset.Headers.ETag!.Tag);
        Assert.Equal(1, (await samePreset.JsonAsync())!["version"]!.GetValue<long>());

        var global = await AuditAsync("");
        var settings = global.Where(e => Action(e) == "settings.update").Select(e => e["outcome"]!.GetValue<string>()).Reverse();
        Assert.Equal(["changed", "no-op"], settings);
        var presetUpdate = Assert.Single(global, e => Action(e) == "preset.update");
        Assert.Equal("no-op", presetUpdate["outcome"]!.GetValue<string>());
        Assert.Equal("preset adp: no changes", presetUpdate["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Connection_create_with_credentials_lists_credentials_among_the_fields_by_name_only()
    {
        var created = await Client.PostAsJsonAsync("/api/connections",
            Connection("ad3", "Keyed", new { apiKey = "KEY-AD3-0000000001", apiSecret = "secret-ad3-value" }));
        created.EnsureSuccessStatusCode();
        await Client.CreatePaperConnectionAsync("ad4");

        var keyed = Assert.Single(await AuditAsync("ad3"), e => Action(e) == "connection.create");
        var plain = Assert.Single(await AuditAsync("ad4"), e => Action(e) == "connection.create");

        var keyedFields = SettingsApiTests.ChangedFieldNames(keyed["reason"]!.GetValue<string>());
        Assert.Contains("credentials", keyedFields);
        Assert.Equal(["autoStart", "createdAt", "credentials", "exchange", "id", "name", "symbols", "testnet", "updatedAt", "version"],
            keyedFields);
        Assert.DoesNotContain("credentials", SettingsApiTests.ChangedFieldNames(plain["reason"]!.GetValue<string>()));
        Assert.DoesNotContain("secret-ad3-value", keyed.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("KEY-AD3-0000000001", keyed.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    [InlineData("x23456789012345678901234567890123456789012345678901234567890123456")]
    [InlineData("semi;colon")]
    public async Task A_correlation_id_that_does_not_match_the_pattern_is_replaced_by_a_new_one_which_is_echoed_and_recorded(string bad)
    {
        await Client.CreatePaperConnectionAsync("ad5");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/connections/ad5/enable");
        Assert.True(request.Headers.TryAddWithoutValidation(CorrelationHeader, bad));

        var response = await Client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        var echoed = Assert.Single(response.Headers.GetValues(CorrelationHeader));
        Assert.NotEqual(bad, echoed);
        Assert.Matches(CorrelationPattern(), echoed);
        var entry = Assert.Single(await AuditAsync("ad5"), e => Action(e) == "enable");
        Assert.Equal(echoed, entry["correlationId"]!.GetValue<string>());
        Assert.DoesNotContain(await AuditAsync("ad5"), e => e.ToJsonString().Contains(bad, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("corr-ok_1.2")]
    [InlineData("A")]
    [InlineData("x234567890123456789012345678901234567890123456789012345678901234")]
    public async Task A_correlation_id_that_matches_the_pattern_is_echoed_and_recorded_as_it_is(string good)
    {
        await Client.CreatePaperConnectionAsync("ad6");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/connections/ad6/enable");
        request.Headers.Add(CorrelationHeader, good);

        var response = await Client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.Equal([good], response.Headers.GetValues(CorrelationHeader));
        Assert.Equal(good, Assert.Single(await AuditAsync("ad6"), e => Action(e) == "enable")["correlationId"]!.GetValue<string>());
    }

    private const string CorrelationHeader = "X-Correlation-Id";

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex CorrelationPattern();

    private static object Connection(string id, string name, object? credentials = null) => credentials is null
        ? new { id, name, exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false }
        : new { id, name, exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false, credentials };

    private static object Settings(int retentionDays) => new
    {
        autoStartOnBoot = true, connectionMonitorSeconds = 30, retentionDays, exchangeTimeoutSeconds = 5,
        startRetry = new { maxAttempts = 5, baseDelaySeconds = 2, maxDelaySeconds = 60 }, maxConsecutiveCycleFailures = 10,
        autoRestartOnConfigChange = false,
    };

    private static string Action(JsonNode entry) => entry["action"]!.GetValue<string>();

    /// <summary>The entries of one connection's partition ("" is the partition of entries tied to no connection).</summary>
    private async Task<List<JsonNode>> AuditAsync(string connectionId)
    {
        var all = (await (await Client.GetAsync("/api/audit?top=1000")).JsonAsync())!["entries"]!.AsArray().Select(e => e!);
        return all.Where(e => e["connectionId"]!.GetValue<string>() == connectionId).ToList();
    }
}
