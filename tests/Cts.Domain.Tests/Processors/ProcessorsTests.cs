using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Processors;
using Cts.Domain.Trading;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Cts.Domain.Tests.Processors;

public sealed class ProcessorsTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 12, 34, 56, TimeSpan.Zero);
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];

    private readonly FakeTimeProvider _time = new(Now);
    private readonly PaperMarket _market = new(seed: 42);

    private EngineCycleContext PaperContext() =>
        new("conn-1", Symbols, new PaperExchange(_market, _time, new PaperFillModel(), new InMemoryPaperLedger()));

    [Fact]
    public void Each_processor_declares_its_kind()
    {
        Assert.Equal(ProcessorKind.Indications, new IndicationsProcessor(_time).Kind);
        Assert.Equal(ProcessorKind.Strategies, new StrategiesProcessor().Kind);
        Assert.Equal(ProcessorKind.Realtime, new RealtimeProcessor().Kind);
        Assert.Equal("indications", ProcessorKind.Indications.ToWire());
        Assert.Equal("strategies", ProcessorKind.Strategies.ToWire());
        Assert.Equal("realtime", ProcessorKind.Realtime.ToWire());
    }

    [Fact]
    public async Task PaperExchange_serves_the_market_at_the_clock_time()
    {
        var exchange = new PaperExchange(_market, _time, new PaperFillModel(), new InMemoryPaperLedger());

        Assert.Equal("paper", exchange.Name);
        await exchange.CheckAsync(CancellationToken.None);
        Assert.Equal(_market.QuoteAt("BTCUSDT", Now), await exchange.GetQuoteAsync("BTCUSDT", CancellationToken.None));
        Assert.Equal(_market.RecentCandles("BTCUSDT", Now, 5), await exchange.GetCandlesAsync("BTCUSDT", 5, CancellationToken.None));

        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(_market.QuoteAt("BTCUSDT", Now.AddMinutes(3)), await exchange.GetQuoteAsync("BTCUSDT", CancellationToken.None));
    }

    [Fact]
    public async Task IndicationsProcessor_writes_one_indication_per_symbol()
    {
        var context = PaperContext();

        await new IndicationsProcessor(_time).RunAsync(context, CancellationToken.None);

        Assert.Equal(Symbols.Order(StringComparer.Ordinal), context.Indications.Keys.Order(StringComparer.Ordinal));
        foreach (var symbol in Symbols)
        {
            var indication = context.Indications[symbol];
            Assert.Equal(symbol, indication.Symbol);
            Assert.Equal(Now, indication.At);
        }
        Assert.Empty(context.Marks);
    }

    [Fact]
    public async Task IndicationsProcessor_compares_the_9_and_21_minute_averages_of_the_closes()
    {
        var context = PaperContext();

        await new IndicationsProcessor(_time).RunAsync(context, CancellationToken.None);

        foreach (var symbol in Symbols)
        {
            var closes = _market.RecentCandles(symbol, Now, 21).Select(c => (double)c.Close).ToArray();
            var fast = closes[^9..].Average();
            var slow = closes.Average();
            var last = closes[^1];
            var indication = context.Indications[symbol];

            Assert.Equal((decimal)last, indication.Close);
            Assert.Equal(fast, indication.Values["smaFast"], precision: 6);
            Assert.Equal(slow, indication.Values["smaSlow"], precision: 6);
            Assert.Equal(Math.Abs(fast - slow) / last, indication.Strength, precision: 9);
            Assert.Equal(fast > slow ? Direction.Up : fast < slow ? Direction.Down : Direction.Neutral, indication.Direction);
        }
    }

    [Fact]
    public async Task IndicationsProcessor_replaces_indications_on_the_next_cycle()
    {
        var context = PaperContext();
        var processor = new IndicationsProcessor(_time);
        await processor.RunAsync(context, CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(5));
        await processor.RunAsync(context, CancellationToken.None);

        Assert.Equal(Symbols.Length, context.Indications.Count);
        Assert.All(context.Indications.Values, i => Assert.Equal(Now.AddMinutes(5), i.At));
        var expectedClose = _market.RecentCandles("BTCUSDT", Now.AddMinutes(5), 21)[^1].Close;
        Assert.Equal(expectedClose, context.Indications["BTCUSDT"].Close);
    }

    [Fact]
    public async Task IndicationsProcessor_propagates_an_exchange_failure()
    {
        var failure = new ExchangeException(ExchangeFaultKind.Transient, "venue unavailable");
        var exchange = new Mock<IExchange>(MockBehavior.Strict);
        exchange.Setup(e => e.GetCandlesAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(failure);
        var context = new EngineCycleContext("conn-1", Symbols, exchange.Object);

        var thrown = await Assert.ThrowsAsync<ExchangeException>(
            () => new IndicationsProcessor(_time).RunAsync(context, CancellationToken.None));

        Assert.Same(failure, thrown);
        Assert.Empty(context.Indications);
        exchange.Verify(e => e.GetCandlesAsync("BTCUSDT", 21, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task IndicationsProcessor_fails_when_the_exchange_returns_fewer_than_21_candles()
    {
        var exchange = new Mock<IExchange>();
        exchange.Setup(e => e.GetCandlesAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string s, int _, CancellationToken _) => _market.RecentCandles(s, Now, 20));
        var context = new EngineCycleContext("conn-1", ["BTCUSDT"], exchange.Object);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new IndicationsProcessor(_time).RunAsync(context, CancellationToken.None));

        Assert.Contains("BTCUSDT", thrown.Message, StringComparison.Ordinal);
        Assert.Empty(context.Indications);
    }

    [Fact]
    public async Task IndicationsProcessor_gives_a_neutral_indication_on_a_flat_market()
    {
        var flat = Enumerable.Range(0, 21)
            .Select(i => new Candle(Now.AddMinutes(i - 21), 100m, 100m, 100m, 100m, 1m))
            .ToArray();
        var exchange = new Mock<IExchange>();
        exchange.Setup(e => e.GetCandlesAsync("BTCUSDT", 21, It.IsAny<CancellationToken>()))
            .ReturnsAsync(flat);
        var context = new EngineCycleContext("conn-1", ["BTCUSDT"], exchange.Object);

        await new IndicationsProcessor(_time).RunAsync(context, CancellationToken.None);

        var indication = context.Indications["BTCUSDT"];
        Assert.Equal(Direction.Neutral, indication.Direction);
        Assert.Equal(0.0, indication.Strength);
        Assert.Equal(100m, indication.Close);
    }

    [Fact]
    public async Task IndicationsProcessor_points_up_when_recent_closes_are_above_the_slow_average()
    {
        var rising = Enumerable.Range(0, 21)
            .Select(i => new Candle(Now.AddMinutes(i - 21), 100m + i, 100m + i, 100m + i, 100m + i, 1m))
            .ToArray();
        var exchange = new Mock<IExchange>();
        exchange.Setup(e => e.GetCandlesAsync("BTCUSDT", 21, It.IsAny<CancellationToken>())).ReturnsAsync(rising);
        var context = new EngineCycleContext("conn-1", ["BTCUSDT"], exchange.Object);

        await new IndicationsProcessor(_time).RunAsync(context, CancellationToken.None);

        // Fast average of 112..120 = 116, slow of 100..120 = 110, last close 120.
        var indication = context.Indications["BTCUSDT"];
        Assert.Equal(Direction.Up, indication.Direction);
        Assert.Equal(6.0 / 120.0, indication.Strength, precision: 12);
    }

    [Fact]
    public async Task RealtimeProcessor_marks_every_symbol_at_the_current_quote()
    {
        var context = PaperContext();

        await new RealtimeProcessor().RunAsync(context, CancellationToken.None);

        Assert.Equal(Symbols.Order(StringComparer.Ordinal), context.Marks.Keys.Order(StringComparer.Ordinal));
        foreach (var symbol in Symbols)
        {
            Assert.Equal(_market.QuoteAt(symbol, Now), context.Marks[symbol]);
        }
        Assert.Empty(context.Indications);
    }

    [Fact]
    public async Task RealtimeProcessor_refreshes_marks_as_the_clock_moves()
    {
        var context = PaperContext();
        var processor = new RealtimeProcessor();
        await processor.RunAsync(context, CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(90));
        await processor.RunAsync(context, CancellationToken.None);

        Assert.Equal(Symbols.Length, context.Marks.Count);
        Assert.All(context.Marks.Values, q => Assert.Equal(Now.AddSeconds(90), q.At));
        Assert.Equal(_market.QuoteAt("ETHUSDT", Now.AddSeconds(90)), context.Marks["ETHUSDT"]);
    }

    [Fact]
    public async Task RealtimeProcessor_propagates_an_exchange_failure()
    {
        var exchange = new Mock<IExchange>();
        exchange.Setup(e => e.GetQuoteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeException(ExchangeFaultKind.CredentialsRejected, "bad key"));
        var context = new EngineCycleContext("conn-1", Symbols, exchange.Object);

        var thrown = await Assert.ThrowsAsync<ExchangeException>(
            () => new RealtimeProcessor().RunAsync(context, CancellationToken.None));

        Assert.Equal(ExchangeFaultKind.CredentialsRejected, thrown.Kind);
        Assert.Empty(context.Marks);
    }

    [Fact]
    public async Task StrategiesProcessor_does_nothing_while_entries_are_paused()
    {
        // A strict mock: any call to the exchange would throw.
        var exchange = new Mock<IExchange>(MockBehavior.Strict);
        var context = new EngineCycleContext("conn-1", Symbols, exchange.Object) { EntriesPaused = true };
        var indication = new Indication("BTCUSDT", Now, Direction.Up, 0.01, 100m, new Dictionary<string, double>());
        var mark = new Quote("BTCUSDT", 99m, 101m, 100m, Now);
        context.Indications["BTCUSDT"] = indication;
        context.Marks["BTCUSDT"] = mark;

        var run = new StrategiesProcessor().RunAsync(context, CancellationToken.None);
        await run;

        Assert.True(run.IsCompletedSuccessfully);
        Assert.True(context.EntriesPaused);
        Assert.Equal(["BTCUSDT"], context.Indications.Keys);
        Assert.Same(indication, context.Indications["BTCUSDT"]);
        Assert.Equal(["BTCUSDT"], context.Marks.Keys);
        Assert.Same(mark, context.Marks["BTCUSDT"]);
        Assert.Equal(Symbols, context.Symbols);
        exchange.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task StrategiesProcessor_tolerates_symbols_without_an_indication_yet()
    {
        var exchange = new Mock<IExchange>(MockBehavior.Strict);
        var context = new EngineCycleContext("conn-1", Symbols, exchange.Object);

        await new StrategiesProcessor().RunAsync(context, CancellationToken.None);

        Assert.Empty(context.Indications);
        Assert.Empty(context.Marks);
        exchange.VerifyNoOtherCalls();
    }

    [Fact]
    public void A_cycle_context_starts_with_entries_allowed_and_nothing_computed()
    {
        var exchange = new PaperExchange(_market, _time, new PaperFillModel(), new InMemoryPaperLedger());
        var context = new EngineCycleContext("conn-1", Symbols, exchange);

        Assert.Equal("conn-1", context.ConnectionId);
        Assert.Same(exchange, context.Exchange);
        Assert.False(context.EntriesPaused);
        Assert.Empty(context.Indications);
        Assert.Empty(context.Marks);
    }
}
