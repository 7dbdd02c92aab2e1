using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Domain.Connections;
using Cts.Domain.Exchanges;
using Cts.Functions.Exchanges;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;

namespace Cts.Functions.Tests.Config;

/// <summary>
/// The audit trail: every action, refusal, configuration change and internal failure leaves exactly one entry with
/// who, what, from which state to which, and the caller's correlation id; the query API reads it newest first.
/// </summary>
public sealed class AuditTrailTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task Start_by_an_operator_is_one_changed_entry_from_Enabled_to_Running_with_the_operator_as_actor()
    {
        await Client.CreatePaperConnectionAsync("au1");
        (await Client.PostAsync("/api/connections/au1/enable", null)).EnsureSuccessStatusCode();
        using var operatorClient = Host.CreateClient(Roles.Operator);

        (await operatorClient.PostAsync("/api/engines/au1/start", null)).EnsureSuccessStatusCode();

        var entry = Assert.Single(await AuditAsync("au1"), e => Action(e) == "start");
        Assert.Equal("test-operator", entry["actor"]!.GetValue<string>());
        Assert.Equal("Enabled", entry["fromState"]!.GetValue<string>());
        Assert.Equal("Running", entry["toState"]!.GetValue<string>());
        Assert.Equal("changed", entry["outcome"]!.GetValue<string>());
        Assert.Equal("au1", entry["connectionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refused_pause_on_an_Enabled_engine_is_one_refused_entry_from_and_to_Enabled()
    {
        await Client.CreatePaperConnectionAsync("au2");
        (await Client.PostAsync("/api/connections/au2/enable", null)).EnsureSuccessStatusCode();
        using var operatorClient = Host.CreateClient(Roles.Operator);

        var pause = await operatorClient.PostAsync("/api/engines/au2/pause", null);

        Assert.Equal(HttpStatusCode.Conflict, pause.StatusCode);
        var entry = Assert.Single(await AuditAsync("au2"), e => Action(e) == "pause");
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
        Assert.Equal("Enabled", entry["fromState"]!.GetValue<string>());
        Assert.Equal("Enabled", entry["toState"]!.GetValue<string>());
        Assert.Equal("test-operator", entry["actor"]!.GetValue<string>());
        Assert.Equal("Enabled", (await Client.StatusAsync("au2")).State());
    }

    [Fact]
    public async Task Connection_update_is_one_entry_naming_the_changed_fields_with_the_admin_as_actor()
    {
        await Client.CreatePaperConnectionAsync("au3");

        var put = await Client.PutAsJsonAsync("/api/connections/au3", new
        {
            name = "Renamed",
            exchange = "paper",
            symbols = new[] { "ETHUSDT" },
            testnet = false,
            autoStart = false,
            credentials = new { apiKey = "AKIA0000000000000000AU03", apiSecret = "secret-au3-value" },
        });
        put.EnsureSuccessStatusCode();

        var entry = Assert.Single(await AuditAsync("au3"), e => Action(e) == "connection.update");
        Assert.Equal("test-admin", entry["actor"]!.GetValue<string>());
        Assert.Equal("changed", entry["outcome"]!.GetValue<string>());
        Assert.Equal(["credentials", "name", "symbols"], SettingsApiTests.ChangedFieldNames(entry["reason"]!.GetValue<string>()));
        Assert.DoesNotContain("secret-au3-value", entry.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Correlation_id_sent_with_a_request_is_echoed_and_recorded_in_its_audit_entries()
    {
        await Client.CreatePaperConnectionAsync("au4");
        (await Client.PostAsync("/api/connections/au4/enable", null)).EnsureSuccessStatusCode();

        var start = new HttpRequestMessage(HttpMethod.Post, "/api/engines/au4/start");
        start.Headers.Add(ApiCallerHeader, "corr-start-4711");
        var started = await Client.SendAsync(start);
        var put = new HttpRequestMessage(HttpMethod.Put, "/api/connections/au4")
        {
            Content = JsonContent.Create(new { name = "Renamed", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false }),
        };
        put.Headers.Add(ApiCallerHeader, "corr-put-4712");
        var replaced = await Client.SendAsync(put);

        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.Equal(["corr-start-4711"], started.Headers.GetValues(ApiCallerHeader));
        Assert.Equal(["corr-put-4712"], replaced.Headers.GetValues(ApiCallerHeader));
        var audit = await AuditAsync("au4");
        Assert.Equal("corr-start-4711", Assert.Single(audit, e => Action(e) == "start")["correlationId"]!.GetValue<string>());
        Assert.Equal("corr-put-4712", Assert.Single(audit, e => Action(e) == "connection.update")["correlationId"]!.GetValue<string>());

        // Without one, the host makes one up and still echoes it.
        var plain = await Client.GetAsync("/api/engines/au4");
        Assert.False(string.IsNullOrEmpty(Assert.Single(plain.Headers.GetValues(ApiCallerHeader))));
    }

    [Fact]
    public async Task Audit_query_returns_the_newest_entries_first_limited_by_top_and_filtered_by_from_and_to()
    {
        await Client.StartPaperEngineAsync("au5");
        foreach (var action in new[] { "pause", "resume", "stop" })
        {
            (await Client.PostAsync($"/api/engines/au5/{action}", null)).EnsureSuccessStatusCode();
        }
        await Client.CreatePaperConnectionAsync("other"); // another partition the query must leave out

        var all = await AuditAsync("au5");
        Assert.Equal(["stop", "resume", "pause", "start", "enable", "connection.create"], all.Select(Action).ToArray());
        Assert.All(all, e => Assert.Equal("au5", e["connectionId"]!.GetValue<string>()));
        var times = all.Select(e => e["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);

        var top = await AuditAsync("au5", "&top=3");
        Assert.Equal(["stop", "resume", "pause"], top.Select(Action).ToArray());

        // from/to are inclusive; the window [start, resume] holds exactly start, pause and resume.
        var from = Uri.EscapeDataString(all[3]["at"]!.GetValue<string>());
        var to = Uri.EscapeDataString(all[1]["at"]!.GetValue<string>());
        var window = await AuditAsync("au5", $"&from={from}&to={to}");
        Assert.Equal(["resume", "pause", "start"], window.Select(Action).ToArray());
    }

    [Theory]
    [InlineData("?top=0", "top")]
    [InlineData("?top=1001", "top")]
    [InlineData("?connectionId=Bad_Id", "connectionId")]
    [InlineData("?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", "from")]
    public async Task Bad_audit_query_is_400_naming_the_parameter(string query, string field)
    {
        var response = await Client.GetAsync("/api/audit" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await response.JsonAsync())!["errors"]![field]);
    }

    private const string ApiCallerHeader = "X-Correlation-Id";

    private static string Action(JsonNode entry) => entry["action"]!.GetValue<string>();

    private async Task<List<JsonNode>> AuditAsync(string connectionId, string query = "")
    {
        var response = await Client.GetAsync($"/api/audit?connectionId={connectionId}{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync())!["entries"]!.AsArray().Select(e => e!).ToList();
    }
}

/// <summary>
/// An engine whose exchange keeps failing goes to Error by itself after <c>maxConsecutiveCycleFailures</c>, and that
/// internal transition is audited once, with <c>system</c> as the actor. The exchange is a Moq fake injected through
/// <see cref="CtsAppFactory"/>'s service hook, so this class runs its own host instead of <see cref="EngineHostTest"/>'s.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CycleFailureAuditTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Repeated_cycle_failures_move_the_engine_to_Error_with_one_system_audit_entry()
    {
        var exchange = new Mock<IExchange>();
        exchange.SetupGet(e => e.Name).Returns("paper");
        exchange.Setup(e => e.CheckAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        exchange.Setup(e => e.GetCandlesAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeException(ExchangeFaultKind.Transient, "injected: candles unavailable"));
        exchange.Setup(e => e.GetQuoteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeException(ExchangeFaultKind.Transient, "injected: quotes unavailable"));
        var factory = new Mock<IExchangeFactory>(MockBehavior.Strict);
        factory.Setup(f => f.Create(It.IsAny<Connection>(), It.IsAny<Cts.Domain.Config.EngineSettings>())).Returns(exchange.Object);

        await using var host = new CtsAppFactory(azurite, configureServices: services =>
        {
            services.RemoveAll<IExchangeFactory>();
            services.AddSingleton(factory.Object);
        });
        using var client = host.CreateClient(Roles.Admin);
        // The automatic retry is an hour away, so this test sees the failure alone.
        await client.PatchSettingsAsync(new { maxConsecutiveCycleFailures = 3, startRetry = new { maxAttempts = 1, baseDelaySeconds = 3600, maxDelaySeconds = 3600 } });

        await client.StartPaperEngineAsync("fail1");

        var error = await Eventually.UntilAsync(() => client.StatusAsync("fail1"), s => s.State() == "Error",
            TimeSpan.FromSeconds(10), "the engine is in Error after 3 failed cycles", () => host.Logs.Tail());
        Assert.Equal("cycle-failures", error["lastError"]!["kind"]!.GetValue<string>());
        Assert.Contains("injected", error["lastError"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        factory.Verify(f => f.Create(It.Is<Connection>(c => c.Id == "fail1"), It.IsAny<Cts.Domain.Config.EngineSettings>()), Times.Once());

        // Past the next tick every processor had scheduled when the engine failed (its last run plus its interval): a
        // timer still alive would have fired by then, and must neither run nor add a second entry.
        var processors = error["processors"]!.AsObject();
        var since = error["since"]!.GetValue<DateTimeOffset>();
        var nextDue = processors.Select(p => (p.Value!["lastRunAt"]?.GetValue<DateTimeOffset>() ?? since)
            + TimeSpan.FromMilliseconds(p.Value!["intervalMs"]!.GetValue<double>())).Max();
        await Eventually.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow > nextDue), TimeSpan.FromSeconds(10),
            "the clock passes every processor's next scheduled tick");
        var later = await client.StatusAsync("fail1");
        foreach (var (name, processor) in processors)
        {
            Assert.Equal(processor!["runs"]!.GetValue<long>(), later.Runs(name));
        }
        var audit = (await (await client.GetAsync("/api/audit?connectionId=fail1&top=100")).JsonAsync())!["entries"]!.AsArray();
        var failure = Assert.Single(audit, e => e!["actor"]!.GetValue<string>() == "system")!;
        Assert.Equal("cycle-failures", failure["action"]!.GetValue<string>());
        Assert.Equal("Running", failure["fromState"]!.GetValue<string>());
        Assert.Equal("Error", failure["toState"]!.GetValue<string>());
        Assert.Equal("changed", failure["outcome"]!.GetValue<string>());
        Assert.Equal("Error", (await client.StatusAsync("fail1")).State());
    }
}
