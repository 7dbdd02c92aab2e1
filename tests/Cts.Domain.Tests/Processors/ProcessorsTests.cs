using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Processors;
using Cts.Domain.Strategies;
using Moq;

namespace Cts.Domain.Tests.Processors;

/// <summary>What each processor reads and writes in the cycle context.</summary>
public sealed class ProcessorsTests
{
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];

    [Fact]
    public void Each_processor_declares_its_kind()
    {
        var rig = new TradingRig();
        Assert.Equal(ProcessorKind.Indications, rig.Indications.Kind);
        Assert.Equal(ProcessorKind.Strategies, rig.Strategies.Kind);
        Assert.Equal(ProcessorKind.Realtime, rig.Realtime.Kind);
        Assert.Equal("indications", ProcessorKind.Indications.ToWire());
        Assert.Equal("strategies", ProcessorKind.Strategies.ToWire());
        Assert.Equal("realtime", ProcessorKind.Realtime.ToWire());
    }

    [Fact]
    public async Task Indications_fetch_three_warmups_of_candles_and_emit_EMA_RSI_and_MACD_per_symbol()
    {
        var rig = new TradingRig(symbols: Symbols);

        await rig.Indications.RunAsync(rig.Context, CancellationToken.None);

        // The default ema-crossover (9/21) needs 22 candles; three warm-ups are 66, above the floor of 60.
        foreach (var symbol in Symbols)
        {
            var candles = rig.Market.RecentCandles(symbol, TradingRig.Start, 66);
            Assert.Equal(candles, rig.Context.Candles[symbol]);
            var closes = candles.Select(c => (double)c.Close).ToArray();
            var indication = rig.Context.Indications[symbol];
            Assert.Equal(TradingRig.Start, indication.At);
            Assert.Equal(candles[^1].Close, indication.Close);
            Assert.Equal(Cts.Domain.Indicators.Ema.Compute(closes, 9)[^1]!.Value, indication.Values["ema9"], precision: 6);
            Assert.Equal(Cts.Domain.Indicators.Ema.Compute(closes, 21)[^1]!.Value, indication.Values["ema21"], precision: 6);
            Assert.Equal(Cts.Domain.Indicators.Rsi.Compute(closes)[^1]!.Value, indication.Values["rsi14"], precision: 6);
            var macd = Cts.Domain.Indicators.Macd.Compute(closes)[^1]!.Value;
            Assert.Equal(macd.Histogram, indication.Values["macdHistogram"], precision: 6);
            Assert.Equal(macd.Histogram > 0 ? Direction.Up : Direction.Down, indication.Direction);
        }
    }

    [Fact]
    public async Task Indications_point_up_on_a_rising_series_and_are_neutral_on_a_flat_one()
    {
        async Task<Indication> IndicateAsync(Func<int, decimal> price)
        {
            var candles = Enumerable.Range(0, 66).Select(i => new Candle(TradingRig.Start.AddMinutes(i - 66), price(i), price(i), price(i), price(i), 1m)).ToArray();
            var exchange = new Mock<IExchange>();
            exchange.Setup(e => e.GetCandlesAsync("BTCUSDT", 66, It.IsAny<CancellationToken>())).ReturnsAsync(candles);
            var rig = new TradingRig(exchange: exchange.Object);
            await rig.Indications.RunAsync(rig.Context, CancellationToken.None);
            return rig.Context.Indications["BTCUSDT"];
        }

        Assert.Equal(Direction.Up, (await IndicateAsync(i => 100m + i * i / 10m)).Direction);
        var flat = await IndicateAsync(_ => 100m);
        Assert.Equal(Direction.Neutral, flat.Direction);
        Assert.Equal(0.0, flat.Strength);
        Assert.Equal(50.0, flat.Values["rsi14"]);
    }

    [Fact]
    public async Task Indications_propagate_an_exchange_failure_and_keep_nothing()
    {
        var failure = new ExchangeException(ExchangeFaultKind.Transient, "venue unavailable");
        var exchange = new Mock<IExchange>();
        exchange.Setup(e => e.GetCandlesAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        var rig = new TradingRig(exchange: exchange.Object);

        var thrown = await Assert.ThrowsAsync<ExchangeException>(() => rig.Indications.RunAsync(rig.Context, CancellationToken.None));

        Assert.Same(failure, thrown);
        Assert.Empty(rig.Context.Indications);
    }

    [Fact]
    public async Task Realtime_marks_every_symbol_at_the_current_quote_as_the_clock_moves()
    {
        var rig = new TradingRig(symbols: Symbols);
        await rig.Realtime.RunAsync(rig.Context, CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromSeconds(90));
        await rig.Realtime.RunAsync(rig.Context, CancellationToken.None);

        foreach (var symbol in Symbols)
        {
            Assert.Equal(rig.Market.QuoteAt(symbol, TradingRig.Start.AddSeconds(90)), rig.Context.Marks[symbol]);
        }
    }

    [Fact]
    public async Task Strategies_wait_for_candles_before_acting()
    {
        var strategy = new ScriptedStrategy { Next = StrategySignal.Enter(TradingRig.Start, "go", new Dictionary<string, double>()) };
        var rig = new TradingRig(strategy);

        await rig.Strategies.RunAsync(rig.Context, CancellationToken.None);

        Assert.Empty(rig.Journal.Intents);
    }
}
