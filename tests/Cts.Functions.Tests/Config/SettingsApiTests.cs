using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Config;

/// <summary>
/// The settings document: defaults, replace with ETags, validation that writes nothing, and its audit entry. A PUT is a
/// full replacement, so each invalid case is the valid document with one field changed (<see cref="Full"/>).
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class SettingsApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private const string Valid = """
        {"autoStartOnBoot":false,"connectionMonitorSeconds":60,"retentionDays":30,"exchangeTimeoutSeconds":10,
         "startRetry":{"maxAttempts":3,"baseDelaySeconds":5,"maxDelaySeconds":120},
         "maxConsecutiveCycleFailures":4,"autoRestartOnConfigChange":true}
        """;

    /// <summary>One case per validation rule (both ends of every range), and the field the 400 must name; a JSON object overrides <see cref="Valid"/>'s members.</summary>
    public static readonly (string Field, string Body)[] Invalid =
    [
        ("connectionMonitorSeconds", """{"connectionMonitorSeconds":4}"""),
        ("connectionMonitorSeconds", """{"connectionMonitorSeconds":3601}"""),
        ("retentionDays", """{"retentionDays":0}"""),
        ("retentionDays", """{"retentionDays":3651}"""),
        ("exchangeTimeoutSeconds", """{"exchangeTimeoutSeconds":0}"""),
        ("exchangeTimeoutSeconds", """{"exchangeTimeoutSeconds":121}"""),
        ("maxConsecutiveCycleFailures", """{"maxConsecutiveCycleFailures":0}"""),
        ("maxConsecutiveCycleFailures", """{"maxConsecutiveCycleFailures":100001}"""),
        ("startRetry", """{"startRetry":null}"""),
        ("startRetry.maxAttempts", """{"startRetry":{"maxAttempts":0,"baseDelaySeconds":2,"maxDelaySeconds":60}}"""),
        ("startRetry.maxAttempts", """{"startRetry":{"maxAttempts":101,"baseDelaySeconds":2,"maxDelaySeconds":60}}"""),
        ("startRetry.baseDelaySeconds", """{"startRetry":{"maxAttempts":5,"baseDelaySeconds":0,"maxDelaySeconds":60}}"""),
        ("startRetry.baseDelaySeconds", """{"startRetry":{"maxAttempts":5,"baseDelaySeconds":3601,"maxDelaySeconds":86400}}"""),
        ("startRetry.maxDelaySeconds", """{"startRetry":{"maxAttempts":5,"baseDelaySeconds":1,"maxDelaySeconds":0}}"""),
        ("startRetry.maxDelaySeconds", """{"startRetry":{"maxAttempts":5,"baseDelaySeconds":2,"maxDelaySeconds":86401}}"""),
        ("startRetry.maxDelaySeconds", """{"startRetry":{"maxAttempts":5,"baseDelaySeconds":10,"maxDelaySeconds":9}}"""),
        ("retentionDayz", """{"retentionDayz":7}"""),
        ("startRetry.maxAttemps", """{"startRetry":{"maxAttemps":5}}"""),
        ("retentionDays", """{"retentionDays":"seven"}"""),
        ("retentionDays", """{"retentionDays":"7"}"""),
        ("retentionDays", """{"retentionDays":7.5}"""),
        ("RetentionDays", """{"RetentionDays":7}"""),
        ("body", "not json at all"),
        ("body", ""),
    ];

    [Fact]
    public async Task Get_without_stored_settings_returns_the_defaults()
    {
        var response = await Client.GetAsync("/api/settings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var settings = (await response.JsonAsync())!;
        Assert.Equal(30, settings["connectionMonitorSeconds"]!.GetValue<int>());
        Assert.Equal(7, settings["retentionDays"]!.GetValue<int>());
        Assert.Equal(5, settings["exchangeTimeoutSeconds"]!.GetValue<int>());
        Assert.Equal(5, settings["startRetry"]!["maxAttempts"]!.GetValue<int>());
        Assert.Equal(2, settings["startRetry"]!["baseDelaySeconds"]!.GetValue<int>());
        Assert.Equal(60, settings["startRetry"]!["maxDelaySeconds"]!.GetValue<int>());
        Assert.Equal(10, settings["maxConsecutiveCycleFailures"]!.GetValue<int>());
        Assert.False(settings["autoRestartOnConfigChange"]!.GetValue<bool>());
        Assert.True(settings["autoStartOnBoot"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Valid_put_is_200_with_an_ETag_and_a_later_get_returns_it()
    {
        var put = await PutAsync(Valid);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.NotNull(put.Headers.ETag);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Valid), await put.JsonAsync()));

        var get = await Client.GetAsync("/api/settings");
        Assert.Equal(put.Headers.ETag, get.Headers.ETag);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Valid), await get.JsonAsync()), await get.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Range_boundaries_are_accepted()
    {
        var lowest = """
            {"autoStartOnBoot":false,"autoRestartOnConfigChange":false,"connectionMonitorSeconds":5,"retentionDays":1,"exchangeTimeoutSeconds":1,
             "startRetry":{"maxAttempts":1,"baseDelaySeconds":1,"maxDelaySeconds":1},"maxConsecutiveCycleFailures":1}
            """;
        var highest = """
            {"autoStartOnBoot":true,"autoRestartOnConfigChange":true,"connectionMonitorSeconds":3600,"retentionDays":3650,"exchangeTimeoutSeconds":120,
             "startRetry":{"maxAttempts":100,"baseDelaySeconds":3600,"maxDelaySeconds":86400},"maxConsecutiveCycleFailures":100000}
            """;
        var first = await PutAsync(lowest);
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var second = await PutAsync(highest);
        Assert.True(second.StatusCode == HttpStatusCode.OK, await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_invalid_settings_document_is_400_naming_the_field_and_nothing_is_written()
    {
        var stored = await PutAsync(Valid);
        stored.EnsureSuccessStatusCode();
        var auditBefore = await SettingsAuditAsync();

        var failures = new List<string>();
        foreach (var (field, body) in Invalid)
        {
            var response = await PutAsync(body.StartsWith('{') ? Full(body) : body);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"{body}: {(int)response.StatusCode} {text}");
                continue;
            }
            var errors = JsonNode.Parse(text)?["errors"]?.AsObject();
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || errors is null || !errors.ContainsKey(field))
            {
                failures.Add($"{body}: 400 does not name '{field}': {text}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));

        var after = await Client.GetAsync("/api/settings");
        Assert.Equal(stored.Headers.ETag, after.Headers.ETag);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Valid), await after.JsonAsync()));
        Assert.Equal(auditBefore.Count, (await SettingsAuditAsync()).Count);
    }

    [Fact]
    public async Task Put_with_a_stale_If_Match_is_412_and_nothing_is_written()
    {
        var first = await PutAsync(Valid);
        first.EnsureSuccessStatusCode();
        var second = await PutAsync(Full("""{"retentionDays":14}"""), first.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);

        var stale = await PutAsync(Full("""{"retentionDays":99}"""), first.Headers.ETag);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        var current = await Client.GetAsync("/api/settings");
        Assert.Equal(second.Headers.ETag, current.Headers.ETag);
        Assert.Equal(14, (await current.JsonAsync())!["retentionDays"]!.GetValue<int>());
        Assert.Equal(2, (await SettingsAuditAsync()).Count);
    }

    [Fact]
    public async Task Put_with_an_If_Match_when_nothing_is_stored_is_412_and_the_defaults_stay()
    {
        var response = await PutAsync(Valid, new EntityTagHeaderValue("\"made-up\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var current = await Client.GetAsync("/api/settings");
        Assert.Equal("\"defaults\"", current.Headers.ETag?.Tag); // the defaults' own tag: nothing was stored
        Assert.Equal(7, (await current.JsonAsync())!["retentionDays"]!.GetValue<int>());
    }

    [Fact]
    public async Task Put_records_one_settings_update_audit_entry_with_the_changed_fields_and_the_admin_as_actor()
    {
        (await PutAsync("""
            {"autoStartOnBoot":true,"connectionMonitorSeconds":30,"retentionDays":14,"exchangeTimeoutSeconds":5,
             "startRetry":{"maxAttempts":2,"baseDelaySeconds":2,"maxDelaySeconds":60},"maxConsecutiveCycleFailures":10,
             "autoRestartOnConfigChange":true}
            """)).EnsureSuccessStatusCode();

        var entry = Assert.Single(await SettingsAuditAsync());
        Assert.Equal("test-admin", entry["actor"]!.GetValue<string>());
        Assert.Equal("changed", entry["outcome"]!.GetValue<string>());
        var reason = entry["reason"]!.GetValue<string>();
        Assert.Equal(["autoRestartOnConfigChange", "retentionDays", "startRetry"], ChangedFieldNames(reason));
    }

    /// <summary>"changed: a, b" → [a, b], sorted.</summary>
    public static string[] ChangedFieldNames(string reason)
    {
        Assert.StartsWith("changed: ", reason, StringComparison.Ordinal);
        return reason["changed: ".Length..].Split(", ").Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary><see cref="Valid"/> with the members of <paramref name="overrides"/> in place of its own.</summary>
    private static string Full(string overrides)
    {
        var document = JsonNode.Parse(Valid)!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(overrides)!.AsObject())
        {
            document[name] = value?.DeepClone();
        }
        return document.ToJsonString();
    }

    private async Task<HttpResponseMessage> PutAsync(string json, EntityTagHeaderValue? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/settings")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }
        return await Client.SendAsync(request);
    }

    private async Task<List<JsonNode>> SettingsAuditAsync()
    {
        var response = await Client.GetAsync("/api/audit?top=1000");
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync())!["entries"]!.AsArray()
            .Where(e => e!["action"]!.GetValue<string>() == "settings.update")
            .Select(e => e!)
            .ToList();
    }
}
