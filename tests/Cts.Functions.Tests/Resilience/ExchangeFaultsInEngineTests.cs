using System.Net.Http.Json;
using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Domain.Exchanges;
using Cts.Functions.Exchanges;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;

namespace Cts.Functions.Tests.Resilience;

/// <summary>Exchange faults seen from a running engine: the real resilience pipeline around an injected venue.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExchangeFaultsInEngineTests(AzuriteFixture azurite)
{
    /// <summary>A host whose venues are <paramref name="venue"/>, wrapped in the production resilience pipeline.</summary>
    private CtsAppFactory Host(IExchange venue) => new(azurite, null, services =>
    {
        services.RemoveAll<IExchangeFactory>();
        services.AddSingleton<IExchangeFactory>(sp => new WrappingFactory(venue, sp.GetRequiredService<ExchangeResiliencePipelines>()));
    });

    private sealed class WrappingFactory(IExchange venue, ExchangeResiliencePipelines pipelines) : IExchangeFactory
    {
        public IExchange Create(Connection connection, EngineSettings settings) =>
            new ResilientExchange(venue, pipelines.For(connection.Id, ExchangeResilienceOptions.From(settings)), connection.Id);
    }

    [Fact]
    public async Task A_venue_that_hangs_times_out_at_the_bound_the_cycle_fails_and_the_engine_keeps_running()
    {
        var paper = FaultyExchange.Paper();
        var venue = new Mock<IExchange>();
        venue.SetupGet(v => v.Name).Returns("paper");
        venue.Setup(v => v.CheckAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        venue.Setup(v => v.GetCandlesAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns((string s, int n, CancellationToken ct) => paper.GetCandlesAsync(s, n, ct));
        // Quotes never come back.
        venue.Setup(v => v.GetQuoteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string _, CancellationToken ct) => new ValueTask<Cts.Domain.Market.Quote>(Task.Delay(Timeout.Infinite, ct).ContinueWith<Cts.Domain.Market.Quote>(
                _ => throw new OperationCanceledException(ct), TaskScheduler.Default)));
        await using var host = Host(venue.Object);
        using var client = host.CreateClient(Roles.Admin);
        await client.PatchSettingsAsync(new { exchangeTimeoutSeconds = 1 });

        await client.StartPaperEngineAsync("hang");

        var status = await Eventually.UntilAsync(() => client.StatusAsync("hang"),
            s => s["processors"]!["realtime"]!["failures"]!.GetValue<long>() >= 1, TimeSpan.FromSeconds(20),
            "a realtime cycle fails on the hanging venue", () => host.Logs.Tail());
        Assert.Equal("Running", status.State());
        Assert.Contains("timed out after 1 s", status["processors"]!["realtime"]!["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        // The failure was bounded by the timeout and retried: one attempt plus three retries, each cut off after 1 s.
        Assert.True(Calls(venue, nameof(IExchange.GetQuoteAsync)) >= 4, $"quote attempts: {Calls(venue, nameof(IExchange.GetQuoteAsync))}");
        // The engine keeps cycling: the next realtime cycle runs (and fails the same bounded way) while it stays Running.
        var runs = status.Runs("realtime");
        await Eventually.UntilAsync(() => client.StatusAsync("hang"), s => s.Runs("realtime") > runs && s.State() == "Running",
            TimeSpan.FromSeconds(15), "the engine keeps running its cycles");
    }

    [Fact]
    public async Task Credentials_refused_during_a_cycle_send_the_engine_to_Error_without_retries()
    {
        var venue = new Mock<IExchange>();
        venue.SetupGet(v => v.Name).Returns("paper");
        venue.Setup(v => v.CheckAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        venue.Setup(v => v.GetCandlesAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeException(ExchangeFaultKind.CredentialsRejected, "injected: API key revoked"));
        venue.Setup(v => v.GetQuoteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeException(ExchangeFaultKind.CredentialsRejected, "injected: API key revoked"));
        await using var host = Host(venue.Object);
        using var client = host.CreateClient(Roles.Admin);

        await client.StartPaperEngineAsync("revoked");

        var error = await Eventually.UntilAsync(() => client.StatusAsync("revoked"), s => s.State() == "Error" && s["escalated"]!.GetValue<bool>(),
            TimeSpan.FromSeconds(10), "the engine stops on refused credentials", () => host.Logs.Tail());
        Assert.Equal("credentials-rejected", error["lastError"]!["kind"]!.GetValue<string>());
        Assert.True(error["escalated"]!.GetValue<bool>());
        // The venue was asked (and refused) once, by whichever processor ran first; refused credentials are never retried.
        var candles = Calls(venue, nameof(IExchange.GetCandlesAsync));
        var quotes = Calls(venue, nameof(IExchange.GetQuoteAsync));
        Assert.True(candles + quotes >= 1, "a cycle reached the venue");
        Assert.True(candles <= 1 && quotes <= 1, $"no retries: {candles} candle and {quotes} quote calls");
    }

    private static int Calls(Mock<IExchange> venue, string method) => venue.Invocations.Count(i => i.Method.Name == method);
}
