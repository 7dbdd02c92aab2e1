using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Functions.Exchanges;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;

namespace Cts.Functions.Tests.Api;

/// <summary>
/// <c>POST /api/connections/{id}/test</c> on the real host: paper answers at once through the connection's real
/// exchange (factory, resilience pipeline, paper venue) with its symbol rules; an operator may call it, a viewer not.
/// </summary>
public sealed class ConnectionTestApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task A_paper_connection_answers_ok_with_latency_zero_skew_and_the_rules_of_its_symbols()
    {
        await Client.CreatePaperConnectionAsync("probe1", "BTCUSDT", "ETHUSDT");
        using var operatorClient = Host.CreateClient(Roles.Operator);

        var response = await operatorClient.PostAsync("/api/connections/probe1/test", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var probe = (await response.JsonAsync())!;
        Assert.True(probe["ok"]!.GetValue<bool>());
        Assert.True(probe["latencyMs"]!.GetValue<double>() >= 0);
        Assert.Equal(0, probe["clockSkewMs"]!.GetValue<double>());
        Assert.True(probe["canTrade"]!.GetValue<bool>());
        Assert.Null(probe["reason"]);
        var symbols = probe["symbols"]!.AsArray().Select(s => s!).ToList();
        Assert.Equal(["BTCUSDT", "ETHUSDT"], symbols.Select(s => s["symbol"]!.GetValue<string>()));
        Assert.All(symbols, s =>
        {
            Assert.Equal(0.00000001m, s["tickSize"]!.GetValue<decimal>());
            Assert.Equal(0.00000001m, s["stepSize"]!.GetValue<decimal>());
            Assert.Equal(0.00000001m, s["minQty"]!.GetValue<decimal>());
            Assert.Equal(0m, s["minNotional"]!.GetValue<decimal>());
        });
        Assert.Equal(["canTrade", "clockSkewMs", "latencyMs", "ok", "reason", "symbols"], probe.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task The_test_needs_an_operator_a_valid_id_and_a_known_connection()
    {
        await Client.CreatePaperConnectionAsync("probe2");
        using var viewer = Host.CreateClient(Roles.Viewer);
        using var anonymous = Host.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/connections/probe2/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/connections/probe2/test", null)).StatusCode);
        var unknown = await Client.PostAsync("/api/connections/nobody/test", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var bad = await Client.PostAsync("/api/connections/Bad_Id/test", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull((await bad.JsonAsync())!["errors"]!["id"]);
    }
}

/// <summary>
/// The test endpoint when the venue refuses or cannot be reached: a Moq exchange factory (the fault-injection boundary)
/// hands out a paper venue that refuses the key or never answers its check. Both are 200 with <c>ok: false</c> and the
/// reason, never a 5xx, and the factory is asked for the connection as stored, credentials included.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConnectionTestFaultTests(AzuriteFixture azurite)
{
    private const string Key = "KEY-PROBE-0000000001";
    private const string Secret = "secret-probe-value";

    [Fact]
    public async Task A_refused_key_is_200_ok_false_with_the_venues_reason_and_no_secret()
    {
        var venue = new FaultyExchange(FaultyExchange.Paper()) { RejectCredentials = "injected: API-key format invalid (-2014)" };
        var (factory, probe) = await ProbeAsync(venue, "refused");

        Assert.False(probe["ok"]!.GetValue<bool>());
        Assert.Equal("injected: API-key format invalid (-2014)", probe["reason"]!.GetValue<string>());
        Assert.Empty(probe["symbols"]!.AsArray());
        Assert.Null(probe["canTrade"]);
        Assert.DoesNotContain(Key, probe.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, probe.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, venue.Checks);
        factory.Verify(f => f.Create(It.Is<Connection>(c => c.Id == "refused" && c.Credentials != null && c.Credentials.ApiKeyMasked != Key),
            It.IsAny<EngineSettings>()), Times.Once());
    }

    [Fact]
    public async Task A_venue_that_cannot_be_reached_is_200_ok_false_saying_so()
    {
        var venue = new FaultyExchange(FaultyExchange.Paper()) { FailChecks = -1 };
        var (_, probe) = await ProbeAsync(venue, "unreachable");

        Assert.False(probe["ok"]!.GetValue<bool>());
        var reason = probe["reason"]!.GetValue<string>();
        Assert.StartsWith("the exchange could not be reached: ", reason, StringComparison.Ordinal);
        Assert.Contains("injected: venue unreachable", reason, StringComparison.Ordinal);
        Assert.True(probe["latencyMs"]!.GetValue<double>() >= 0);
        Assert.Null(probe["clockSkewMs"]);
    }

    private async Task<(Mock<IExchangeFactory> Factory, JsonNode Probe)> ProbeAsync(FaultyExchange venue, string id)
    {
        var factory = new Mock<IExchangeFactory>(MockBehavior.Strict);
        factory.Setup(f => f.Create(It.IsAny<Connection>(), It.IsAny<EngineSettings>())).Returns(venue);
        await using var host = new CtsAppFactory(azurite, configureServices: services =>
        {
            services.RemoveAll<IExchangeFactory>();
            services.AddSingleton(factory.Object);
        });
        using var admin = host.CreateClient(Roles.Admin);
        (await admin.PostAsJsonAsync("/api/connections", new
        {
            id, name = id, exchange = "paper", symbols = new[] { "BTCUSDT" }, credentials = new { apiKey = Key, apiSecret = Secret },
        })).EnsureSuccessStatusCode();
        using var operatorClient = host.CreateClient(Roles.Operator);

        var response = await operatorClient.PostAsync($"/api/connections/{id}/test", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(host.Logs.Entries.Any(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error), host.Logs.Tail());
        return (factory, (await response.JsonAsync())!);
    }
}
