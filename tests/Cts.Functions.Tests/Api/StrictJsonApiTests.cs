using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Api;

/// <summary>
/// Strict JSON on every body and parameter, through the whole pipeline: 415 for a body that is not JSON, case-sensitive
/// names, unknown and duplicate properties named, numbers that must be numbers, no control characters in names and
/// reasons, and query parameters that do not parse answered with an error per parameter — never a .NET type name.
/// </summary>
public sealed partial class StrictJsonApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private const string Connection = """{"id":"sj1","name":"Strict","exchange":"paper","symbols":["BTCUSDT"]}""";

    [GeneratedRegex(@"\b(System|Microsoft|Cts)\.[A-Z]\w*")]
    private static partial Regex DotNetTypeName();

    /// <summary>A problem document with <paramref name="status"/> (and <paramref name="field"/> among its errors), naming no .NET type.</summary>
    private static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotMatch(DotNetTypeName(), text);
        var problem = JsonNode.Parse(text)!;
        if (field is not null)
        {
            Assert.True(problem["errors"]?[field] is JsonArray { Count: > 0 }, $"errors name '{field}': {text}");
        }
        return problem;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return Client.SendAsync(new HttpRequestMessage(method, url) { Content = content });
    }

    private async Task AssertNoConnectionsAsync() =>
        Assert.Empty((await (await Client.GetAsync("/api/connections")).JsonAsync())!["connections"]!.AsArray());

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415_and_a_PATCH_must_be_a_merge_patch()
    {
        await AssertProblemAsync(await SendAsync(HttpMethod.Post, "/api/connections", Connection, "text/plain"), HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(await SendAsync(HttpMethod.Post, "/api/connections", Connection, null), HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(await SendAsync(HttpMethod.Post, "/api/connections", Connection, "application/json; charset=utf-16"),
            HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(await SendAsync(HttpMethod.Put, "/api/settings", "{}", "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(await SendAsync(HttpMethod.Post, "/api/config/import", "{}", "text/plain"), HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(await SendAsync(HttpMethod.Post, "/api/engines/sj1/start", """{"reason":"x"}""", "text/plain"),
            HttpStatusCode.UnsupportedMediaType);

        var patchAsJson = await SendAsync(HttpMethod.Patch, "/api/settings", """{"retentionDays":14}""", "application/json");
        await AssertProblemAsync(patchAsJson, HttpStatusCode.UnsupportedMediaType);
        Assert.True(patchAsJson.Headers.TryGetValues("Accept-Patch", out var acceptPatch)
            || patchAsJson.Content.Headers.TryGetValues("Accept-Patch", out acceptPatch), "415 to a PATCH says Accept-Patch");
        Assert.Equal(["application/merge-patch+json"], acceptPatch);

        // The right types, charset spelled out or not, are taken.
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/connections", Connection, "application/json; charset=utf-8")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Patch, "/api/settings", """{"retentionDays":14}""", "application/merge-patch+json")).StatusCode);
        Assert.Equal(14, (await (await Client.GetAsync("/api/settings")).JsonAsync())!["retentionDays"]!.GetValue<int>());
    }

    [Fact]
    public async Task Names_are_case_sensitive_and_unknown_or_duplicate_properties_are_400_naming_each()
    {
        var pascal = await Client.PostJsonAsync("/api/connections", """{"Id":"sj1","Name":"Strict","exchange":"paper","symbols":["BTCUSDT"]}""");
        var problem = await AssertProblemAsync(pascal, HttpStatusCode.BadRequest, "Id");
        Assert.NotNull(problem["errors"]!["Name"]);
        Assert.Contains("name", problem["errors"]!["Name"]![0]!.GetValue<string>(), StringComparison.Ordinal); // "did you mean 'name'?"

        var duplicate = await Client.PostJsonAsync("/api/connections",
            """{"id":"sj1","name":"First","name":"Last wins?","exchange":"paper","symbols":["BTCUSDT"]}""");
        await AssertProblemAsync(duplicate, HttpStatusCode.BadRequest, "name");

        var nested = await Client.PostJsonAsync("/api/connections",
            """{"id":"sj1","name":"N","exchange":"paper","symbols":["BTCUSDT"],"credentials":{"apiKey":"AKIA0000000000000001","apiKey":"x","token":"y"}}""");
        var nestedProblem = await AssertProblemAsync(nested, HttpStatusCode.BadRequest, "credentials.apiKey");
        Assert.NotNull(nestedProblem["errors"]!["credentials.token"]);

        var unknownInSettings = await Client.PatchMergeAsync("/api/settings", new { startRetry = new { maxAttemps = 3 } });
        await AssertProblemAsync(unknownInSettings, HttpStatusCode.BadRequest, "startRetry.maxAttemps");

        await AssertNoConnectionsAsync();
    }

    [Fact]
    public async Task Numbers_and_booleans_must_be_JSON_numbers_and_booleans()
    {
        var stringNumber = await Client.PostJsonAsync("/api/presets", """{"id":"sjp","name":"P","emaFast":"3","positionSizeQuote":"100"}""");
        var problem = await AssertProblemAsync(stringNumber, HttpStatusCode.BadRequest, "emaFast");
        Assert.NotNull(problem["errors"]!["positionSizeQuote"]);
        Assert.Equal("must be an integer", problem["errors"]!["emaFast"]![0]!.GetValue<string>());

        await AssertProblemAsync(await Client.PostJsonAsync("/api/presets", """{"id":"sjp","name":"P","maxOpenPositions":2.5}"""),
            HttpStatusCode.BadRequest, "maxOpenPositions");
        await AssertProblemAsync(await Client.PostJsonAsync("/api/presets", """{"id":"sjp","name":"P","maxOpenPositions":99999999999}"""),
            HttpStatusCode.BadRequest, "maxOpenPositions");
        await AssertProblemAsync(await Client.PostJsonAsync("/api/connections",
            """{"id":"sj1","name":"N","exchange":"paper","symbols":["BTCUSDT"],"testnet":"false"}"""), HttpStatusCode.BadRequest, "testnet");
        await AssertProblemAsync(await Client.PostJsonAsync("/api/connections",
            """{"id":"sj1","name":"N","exchange":"paper","symbols":["BTCUSDT", 7]}"""), HttpStatusCode.BadRequest, "symbols[1]");
        await AssertProblemAsync(await Client.PostJsonAsync("/api/engines/sj1/stop", """{"closePositions":"yes"}"""),
            HttpStatusCode.BadRequest, "closePositions");
        await AssertProblemAsync(await Client.PostJsonAsync("/api/presets", """{"id":"sjp","name":"P",}"""), HttpStatusCode.BadRequest, "body");
        await AssertProblemAsync(await Client.PostJsonAsync("/api/presets", """["not","an","object"]"""), HttpStatusCode.BadRequest, "body");

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/presets/sjp")).StatusCode);
        await AssertNoConnectionsAsync();
    }

    [Fact]
    public async Task Control_characters_are_refused_in_names_and_reasons_and_nothing_is_written()
    {
        foreach (var name in new[] { "bell\u0007", "two\nlines", "escape\u001b[31m", "nul\u0000", "c1\u0085", "separator\u2028" })
        {
            var body = new JsonObject { ["id"] = "sj1", ["name"] = name, ["exchange"] = "paper", ["symbols"] = new JsonArray("BTCUSDT") };
            await AssertProblemAsync(await Client.PostJsonAsync("/api/connections", body.ToJsonString()), HttpStatusCode.BadRequest, "name");
            var preset = new JsonObject { ["id"] = "sjp", ["name"] = name };
            await AssertProblemAsync(await Client.PostJsonAsync("/api/presets", preset.ToJsonString()), HttpStatusCode.BadRequest, "name");
        }
        await AssertNoConnectionsAsync();

        await Client.CreatePaperConnectionAsync("sj2");
        (await Client.PostAsync("/api/connections/sj2/enable", null)).EnsureSuccessStatusCode();
        var auditBefore = (await (await Client.GetAsync("/api/audit?connectionId=sj2&top=100")).JsonAsync())!["entries"]!.AsArray().Count;
        var reason = new JsonObject { ["reason"] = "fake\r\n2026-01-01 admin did it" }.ToJsonString();
        await AssertProblemAsync(await Client.PostJsonAsync("/api/engines/sj2/start", reason), HttpStatusCode.BadRequest, "reason");
        var alias = new JsonObject { ["connectionId"] = "sj2", ["reason"] = "tab\there" }.ToJsonString();
        await AssertProblemAsync(await Client.PostJsonAsync("/api/trade-engine/start", alias), HttpStatusCode.BadRequest, "reason");

        Assert.Equal("Enabled", (await Client.StatusAsync("sj2")).State());
        Assert.Equal(auditBefore, (await (await Client.GetAsync("/api/audit?connectionId=sj2&top=100")).JsonAsync())!["entries"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_query_parameter_that_does_not_parse_is_400_naming_it()
    {
        (string Method, string Url, string Field)[] cases =
        [
            ("GET", "/api/engines?top=abc", "top"),
            ("GET", "/api/engines?top=1&top=2", "top"),
            ("GET", "/api/engines?state=3", "state"),
            ("GET", "/api/trade-engine/status-all?top=ten", "top"),
            ("GET", "/api/connections?top=1.5", "top"),
            ("GET", "/api/positions?top=-", "top"),
            ("GET", "/api/positions?status=opened", "status"),
            ("GET", "/api/audit?from=2026-13-45", "from"),
            ("GET", "/api/audit?to=yesterday", "to"),
            ("GET", "/api/engines/sj1/audit?from=2026-02-30T00:00:00Z", "from"),
            ("POST", "/api/config/import?dryRun=maybe", "dryRun"),
            ("POST", "/api/config/backups/20200101T000000000Z-x.json/restore?dryRun=1", "dryRun"),
        ];
        foreach (var (method, url, field) in cases)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method == "POST")
            {
                request.Content = new StringContent("""{"format":1,"connections":[],"presets":[]}""", Encoding.UTF8, "application/json");
            }
            var problem = await AssertProblemAsync(await Client.SendAsync(request), HttpStatusCode.BadRequest, field);
            Assert.Equal("https://cts.dev/problems/validation", problem["type"]!.GetValue<string>());
        }
    }
}
