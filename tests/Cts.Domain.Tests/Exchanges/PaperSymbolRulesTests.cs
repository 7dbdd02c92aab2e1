using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Domain.Tests.Exchanges;

/// <summary>The paper venue's probe and symbol rules: answered at once, and exactly what its fills and quotes enforce.</summary>
public sealed class PaperSymbolRulesTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 12, 34, 0, TimeSpan.Zero);

    private static PaperExchange Venue(FakeTimeProvider clock) => new(new PaperMarket(42), clock, new PaperFillModel(), new InMemoryPaperLedger());

    [Fact]
    public async Task Probe_answers_ok_with_zero_skew_and_the_rules_of_every_USDT_symbol_in_order()
    {
        var clock = new FakeTimeProvider(Now);

        var probe = await Venue(clock).ProbeAsync(["BTCUSDT", "ETHUSDT"], clock, CancellationToken.None);

        Assert.True(probe.Ok);
        Assert.Equal(0, probe.LatencyMs); // the fake clock does not move: nothing is waited for
        Assert.Equal(0, probe.ClockSkewMs);
        Assert.True(probe.CanTrade);
        Assert.Null(probe.Reason);
        Assert.Equal(["BTCUSDT", "ETHUSDT"], probe.Symbols.Select(s => s.Symbol));
        Assert.All(probe.Symbols, s =>
        {
            Assert.Equal(0.00000001m, s.TickSize);
            Assert.Equal(0.00000001m, s.StepSize);
            Assert.Equal(0.00000001m, s.MinQty);
            Assert.Equal(0m, s.MinNotional);
        });
    }

    [Fact]
    public async Task Probe_is_not_ok_for_a_symbol_paper_cannot_trade_and_names_it()
    {
        var clock = new FakeTimeProvider(Now);

        var probe = await Venue(clock).ProbeAsync(["BTCUSDT", "BTCEUR"], clock, CancellationToken.None);

        Assert.False(probe.Ok);
        Assert.Equal(["BTCUSDT"], probe.Symbols.Select(s => s.Symbol));
        Assert.Contains("BTCEUR", probe.Reason, StringComparison.Ordinal);
        Assert.StartsWith(PaperExchange.UnsupportedQuoteAsset, probe.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quotes_and_fills_keep_to_the_tick_and_the_step_and_an_order_below_the_least_quantity_is_rejected()
    {
        var clock = new FakeTimeProvider(Now);
        var venue = Venue(clock);
        var rules = PaperSymbolRules.For("BTCUSDT")!;

        var quote = await venue.GetQuoteAsync("BTCUSDT", CancellationToken.None);
        var fill = await venue.PlaceOrderAsync(OrderRequest.Buy("cts-rules-1", "BTCUSDT", 123.456m), CancellationToken.None);
        // Half a step's worth of quote buys a quantity that rounds to zero.
        var tooSmall = await venue.PlaceOrderAsync(OrderRequest.Buy("cts-rules-2", "BTCUSDT", quote.Ask * rules.MinQty / 2), CancellationToken.None);

        Assert.Equal(0m, quote.Bid % rules.TickSize);
        Assert.Equal(0m, quote.Ask % rules.TickSize);
        Assert.Equal(OrderStatus.Filled, fill.Status);
        Assert.Equal(0m, fill.Quantity % rules.StepSize);
        Assert.True(fill.Quantity >= rules.MinQty);
        Assert.Equal(OrderStatus.Rejected, tooSmall.Status);
        Assert.Equal(PaperExchange.OrderTooSmall, tooSmall.RejectReason);
        Assert.Null(PaperSymbolRules.For("BTCEUR"));
    }
}
