using Cts.Domain.Exchanges;
using Cts.Functions.Exchanges;
using Moq;
using Polly;

namespace Cts.Functions.Tests.Exchanges;

/// <summary>
/// <c>POST /api/connections/{id}/test</c> reaches the venue's own probe through the resilience decorator (binance
/// overrides the default one), and a venue that has none still gets the default.
/// </summary>
public sealed class ResilientExchangeProbeTests
{
    [Fact]
    public async Task The_venue_s_own_probe_is_called_through_the_decorator()
    {
        var probe = new ExchangeProbe(true, 12.5, -250, true, [new SymbolRules("BTCUSDT", 0.01m, 0.00001m, 0.00001m, 5m)], null);
        var venue = new Mock<IExchange>(MockBehavior.Strict);
        venue.SetupGet(v => v.Name).Returns("probing");
        venue.Setup(v => v.ProbeAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeProvider>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(probe);
        IExchange resilient = new ResilientExchange(venue.Object, ResiliencePipeline.Empty, "conn-1");

        var answer = await resilient.ProbeAsync(["BTCUSDT"], TimeProvider.System, CancellationToken.None);

        Assert.Same(probe, answer);
        venue.Verify(v => v.ProbeAsync(It.Is<IReadOnlyList<string>>(s => s.SequenceEqual(new[] { "BTCUSDT" })), TimeProvider.System,
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_venue_without_its_own_probe_gets_the_default_which_times_the_check()
    {
        IExchange resilient = new ResilientExchange(new RefusingCheckExchange(), ResiliencePipeline.Empty, "conn-1");

        var answer = await resilient.ProbeAsync(["BTCUSDT"], TimeProvider.System, CancellationToken.None);

        Assert.False(answer.Ok);
        Assert.Equal("key refused", answer.Reason);
    }

    /// <summary>A venue with no probe of its own whose check refuses the key; nothing else is called.</summary>
    private sealed class RefusingCheckExchange : IExchange
    {
        public string Name => "plain";
        public Task CheckAsync(CancellationToken cancellationToken) =>
            throw new ExchangeException(ExchangeFaultKind.CredentialsRejected, "key refused");
        public ValueTask<Cts.Domain.Market.Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<Cts.Domain.Market.Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
        public Task<OrderResult> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<OrderResult?> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
        public Task<bool> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
        public Task<Balance> GetBalanceAsync(string asset, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
