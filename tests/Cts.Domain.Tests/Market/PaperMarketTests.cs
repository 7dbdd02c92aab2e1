using Cts.Domain.Market;

namespace Cts.Domain.Tests.Market;

public sealed class PaperMarketTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 14, 12, 34, 56, TimeSpan.Zero);
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "DOGEUSDT"];

    /// <summary>Fixed instants spread over years, including both sides of the market's 2020-01-01 epoch.</summary>
    public static TheoryData<DateTimeOffset> Instants() => new(
        new DateTimeOffset(2019, 12, 31, 23, 59, 30, TimeSpan.Zero),
        new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2020, 1, 2, 10, 8, 0, TimeSpan.Zero), // 2048 minutes after the epoch: a segment boundary
        At,
        new DateTimeOffset(2031, 7, 4, 3, 2, 1, 500, TimeSpan.Zero));

    private static IEnumerable<DateTimeOffset> EveryMinuteFor(int minutes, DateTimeOffset start) =>
        Enumerable.Range(0, minutes).Select(i => start.AddMinutes(i));

    [Fact]
    public void Two_markets_with_the_same_seed_give_the_same_prices_quotes_and_candles()
    {
        var a = new PaperMarket(seed: 7);
        var b = new PaperMarket(seed: 7);

        foreach (var symbol in Symbols)
        {
            for (var i = 0; i < 50; i++)
            {
                var at = At.AddSeconds(i * 77.3);
                Assert.Equal(a.MidPrice(symbol, at), b.MidPrice(symbol, at));
                Assert.Equal(a.QuoteAt(symbol, at), b.QuoteAt(symbol, at));
                Assert.Equal(a.CandleAt(symbol, at), b.CandleAt(symbol, at));
            }
            Assert.Equal(a.RecentCandles(symbol, At, 30), b.RecentCandles(symbol, At, 30));
        }
    }

    [Fact]
    public void The_same_market_gives_the_same_price_when_asked_again()
    {
        var market = new PaperMarket(seed: 7);

        var first = market.MidPrice("BTCUSDT", At);
        _ = market.MidPrice("BTCUSDT", At.AddDays(-300)); // no state carried between calls

        Assert.Equal(first, market.MidPrice("BTCUSDT", At));
    }

    [Fact]
    public void The_default_seed_is_42()
    {
        Assert.Equal(new PaperMarket(seed: 42).MidPrice("ETHUSDT", At), new PaperMarket().MidPrice("ETHUSDT", At));
    }

    [Fact]
    public void A_different_seed_gives_different_prices()
    {
        var a = new PaperMarket(seed: 1);
        var b = new PaperMarket(seed: 2);

        foreach (var symbol in Symbols)
        {
            var times = EveryMinuteFor(20, At).ToArray();
            Assert.All(times, t => Assert.NotEqual(a.MidPrice(symbol, t), b.MidPrice(symbol, t)));
            Assert.NotEqual(a.CandleAt(symbol, At), b.CandleAt(symbol, At));
        }
    }

    [Fact]
    public void A_different_seed_gives_a_different_path_not_the_same_path_shifted()
    {
        // Second differences of the log-price cancel any level or linear drift, so they only match if the
        // minute-to-minute moves themselves are the same.
        static double[] Curvature(PaperMarket market)
        {
            var logs = EveryMinuteFor(40, At.AddSeconds(-56))
                .Select(t => Math.Log((double)market.MidPrice("BTCUSDT", t)))
                .ToArray();
            return Enumerable.Range(1, logs.Length - 2).Select(i => logs[i + 1] - 2 * logs[i] + logs[i - 1]).ToArray();
        }

        var a = Curvature(new PaperMarket(seed: 1));
        var b = Curvature(new PaperMarket(seed: 2));

        var differing = a.Zip(b).Count(p => Math.Abs(p.First - p.Second) > 1e-6);
        Assert.True(differing > a.Length * 3 / 4, $"{differing} of {a.Length} moves differ");
    }

    [Fact]
    public void Different_symbols_have_different_prices_and_different_paths()
    {
        var market = new PaperMarket(seed: 7);
        var later = At.AddMinutes(10);

        // Two unknown symbols, so neither has a hand-picked base price.
        Assert.NotEqual(market.MidPrice("AAAUSDT", At), market.MidPrice("AABUSDT", At));

        // Moves over the same ten minutes differ too (not one path scaled by a base price).
        var returns = Symbols.Select(s => market.MidPrice(s, later) / market.MidPrice(s, At)).ToArray();
        Assert.Equal(returns.Length, returns.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Instants))]
    public void Prices_are_positive(DateTimeOffset at)
    {
        var market = new PaperMarket(seed: 3);

        foreach (var symbol in Symbols.Append("ZZZ1"))
        {
            for (var hour = 0; hour < 24 * 30; hour += 7)
            {
                var t = at.AddHours(hour);
                Assert.True(market.MidPrice(symbol, t) > 0, $"{symbol} at {t:O}");
            }
        }
    }

    [Fact]
    public void Prices_stay_around_the_base_price_over_years()
    {
        var market = new PaperMarket(seed: 11);
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

        for (var day = 0; day < 365 * 10; day += 13)
        {
            var price = (double)market.MidPrice("BTCUSDT", start.AddDays(day));
            Assert.InRange(price, 60000 / 2.0, 60000 * 2.0);
        }
    }

    [Theory]
    [MemberData(nameof(Instants))]
    public void Prices_one_second_apart_differ_by_less_than_one_percent(DateTimeOffset at)
    {
        var market = new PaperMarket(seed: 5);

        foreach (var symbol in Symbols)
        {
            // Every second of two minutes around the instant, so minute boundaries are crossed too.
            for (var s = -60; s < 60; s++)
            {
                var p0 = market.MidPrice(symbol, at.AddSeconds(s));
                var p1 = market.MidPrice(symbol, at.AddSeconds(s + 1));
                Assert.True(Math.Abs(p1 - p0) / p0 < 0.01m, $"{symbol} {at.AddSeconds(s):O}: {p0} → {p1}");
            }
        }
    }

    [Fact]
    public void Prices_move_within_a_minute_rather_than_standing_still()
    {
        var market = new PaperMarket(seed: 5);

        var prices = Enumerable.Range(0, 60).Select(s => market.MidPrice("BTCUSDT", At.AddSeconds(s))).ToArray();

        Assert.True(prices.Distinct().Count() > 30);
    }

    [Fact]
    public void Mid_price_at_a_minute_mark_is_the_candle_open_of_that_minute()
    {
        var market = new PaperMarket(seed: 9);
        var minute = new DateTimeOffset(2025, 3, 14, 12, 34, 0, TimeSpan.Zero);

        var candle = market.CandleAt("ETHUSDT", minute);

        Assert.Equal(candle.Open, market.MidPrice("ETHUSDT", minute));
        Assert.Equal(candle.Close, market.MidPrice("ETHUSDT", minute.AddMinutes(1)));
    }

    [Theory]
    [MemberData(nameof(Instants))]
    public void Candle_high_and_low_bound_open_and_close(DateTimeOffset at)
    {
        var market = new PaperMarket(seed: 13);

        foreach (var symbol in Symbols)
        {
            foreach (var t in EveryMinuteFor(200, at))
            {
                var c = market.CandleAt(symbol, t);
                Assert.True(c.High >= Math.Max(c.Open, c.Close), $"{symbol} {c}");
                Assert.True(c.Low <= Math.Min(c.Open, c.Close), $"{symbol} {c}");
                Assert.True(c.Low > 0, $"{symbol} {c}");
                Assert.True(c.Volume > 0, $"{symbol} {c}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Instants))]
    public void Candle_close_of_a_minute_is_the_open_of_the_next(DateTimeOffset at)
    {
        var market = new PaperMarket(seed: 17);

        foreach (var symbol in Symbols)
        {
            var candles = EveryMinuteFor(200, at).Select(t => market.CandleAt(symbol, t)).ToArray();
            for (var i = 0; i + 1 < candles.Length; i++)
            {
                Assert.Equal(candles[i].Close, candles[i + 1].Open);
            }
        }
    }

    [Fact]
    public void Candle_close_meets_the_next_open_across_a_segment_boundary_and_the_epoch()
    {
        var market = new PaperMarket(seed: 19);
        DateTimeOffset[] boundaries =
        [
            new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), // epoch
            new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(2048 * 1000), // segment boundary
            new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(-2048 * 3), // segment boundary before the epoch
        ];

        foreach (var boundary in boundaries)
        {
            var before = market.CandleAt("SOLUSDT", boundary.AddMinutes(-1));
            var after = market.CandleAt("SOLUSDT", boundary);
            Assert.Equal(before.Close, after.Open);
            Assert.Equal(boundary, after.OpenTime);
        }
    }

    [Fact]
    public void CandleAt_any_time_within_a_minute_gives_the_candle_starting_at_that_minute()
    {
        var market = new PaperMarket(seed: 23);
        var minute = new DateTimeOffset(2025, 3, 14, 12, 34, 0, TimeSpan.Zero);

        var atStart = market.CandleAt("BTCUSDT", minute);
        var atMiddle = market.CandleAt("BTCUSDT", minute.AddSeconds(30));
        var atEnd = market.CandleAt("BTCUSDT", minute.AddSeconds(59.999));

        Assert.Equal(minute, atStart.OpenTime);
        Assert.Equal(atStart, atMiddle);
        Assert.Equal(atStart, atEnd);
    }

    [Fact]
    public void CandleAt_before_the_epoch_starts_at_the_minute_containing_the_time()
    {
        var market = new PaperMarket(seed: 23);
        var at = new DateTimeOffset(2019, 12, 31, 23, 59, 30, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2019, 12, 31, 23, 59, 0, TimeSpan.Zero), market.CandleAt("BTCUSDT", at).OpenTime);
    }

    [Fact]
    public void RecentCandles_returns_count_completed_candles_oldest_first_ending_before_now()
    {
        var market = new PaperMarket(seed: 29);
        var now = new DateTimeOffset(2025, 3, 14, 12, 34, 56, TimeSpan.Zero);

        var candles = market.RecentCandles("ETHUSDT", now, 21);

        Assert.Equal(21, candles.Count);
        for (var i = 0; i < candles.Count; i++)
        {
            // The last one is the minute 12:33, the one before the current (incomplete) minute 12:34.
            Assert.Equal(new DateTimeOffset(2025, 3, 14, 12, 13, 0, TimeSpan.Zero).AddMinutes(i), candles[i].OpenTime);
            Assert.Equal(market.CandleAt("ETHUSDT", candles[i].OpenTime), candles[i]);
        }
        Assert.True(candles[^1].OpenTime.AddMinutes(1) <= now);
    }

    [Fact]
    public void RecentCandles_exactly_on_a_minute_mark_ends_with_the_minute_just_completed()
    {
        var market = new PaperMarket(seed: 29);
        var now = new DateTimeOffset(2025, 3, 14, 12, 34, 0, TimeSpan.Zero);

        var candles = market.RecentCandles("ETHUSDT", now, 3);

        Assert.Equal(
            [now.AddMinutes(-3), now.AddMinutes(-2), now.AddMinutes(-1)],
            candles.Select(c => c.OpenTime));
    }

    [Fact]
    public void RecentCandles_within_a_minute_is_one_shared_read_only_list_and_the_next_minute_a_new_one()
    {
        var market = new PaperMarket(seed: 29);
        var now = new DateTimeOffset(2025, 3, 14, 12, 34, 5, TimeSpan.Zero);

        var first = market.RecentCandles("ETHUSDT", now, 30);
        var sameMinute = market.RecentCandles("ETHUSDT", now.AddSeconds(50), 30);
        var nextMinute = market.RecentCandles("ETHUSDT", now.AddMinutes(1), 30);
        var earlier = market.RecentCandles("ETHUSDT", now.AddMinutes(-1), 30);

        Assert.Same(first, sameMinute);
        Assert.False(first is Candle[], "callers must not be able to change a list other engines share");
        Assert.NotSame(first, nextMinute);
        Assert.Equal(new PaperMarket(seed: 29).RecentCandles("ETHUSDT", now.AddMinutes(1), 30), nextMinute);
        Assert.Equal(new PaperMarket(seed: 29).RecentCandles("ETHUSDT", now.AddMinutes(-1), 30), earlier);
        Assert.Same(nextMinute, market.RecentCandles("ETHUSDT", now.AddMinutes(1), 30)); // an older clock did not evict it
    }

    [Fact]
    public void RecentCandles_of_zero_is_empty()
    {
        Assert.Empty(new PaperMarket().RecentCandles("BTCUSDT", At, 0));
    }

    [Theory]
    [MemberData(nameof(Instants))]
    public void A_quote_has_bid_below_mid_below_ask(DateTimeOffset at)
    {
        var market = new PaperMarket(seed: 31);

        foreach (var symbol in Symbols)
        {
            var quote = market.QuoteAt(symbol, at);

            Assert.True(quote.Bid < quote.Mid && quote.Mid < quote.Ask, $"{quote}");
            Assert.Equal(market.MidPrice(symbol, at), quote.Mid);
            Assert.Equal(symbol, quote.Symbol);
            Assert.Equal(at, quote.At);
        }
    }

    [Fact]
    public void The_quote_spread_is_the_configured_basis_points_of_the_mid()
    {
        var market = new PaperMarket(seed: 31, spreadBps: 10);

        var quote = market.QuoteAt("BTCUSDT", At);

        var spreadBps = (double)((quote.Ask - quote.Bid) / quote.Mid) * 10000;
        Assert.Equal(10.0, spreadBps, precision: 3);
    }

    [Fact]
    public void Known_symbols_start_from_their_base_prices_and_unknown_ones_from_10_to_1000()
    {
        Assert.Equal(60000, PaperMarket.BasePrice("BTCUSDT"));
        Assert.Equal(3000, PaperMarket.BasePrice("ETHUSDT"));
        Assert.Equal(150, PaperMarket.BasePrice("SOLUSDT"));
        Assert.Equal(600, PaperMarket.BasePrice("BNBUSDT"));
        foreach (var symbol in new[] { "DOGEUSDT", "XRPUSDT", "AAAUSDT", "ZZ" })
        {
            Assert.InRange(PaperMarket.BasePrice(symbol), 10, 1000);
            Assert.Equal(PaperMarket.BasePrice(symbol), PaperMarket.BasePrice(symbol));
        }
    }

    [Fact]
    public void StableHash_is_fixed_across_processes()
    {
        // FNV-1a 64 reference values: a change here would move every price of every deployed market.
        Assert.Equal(14695981039346656037UL, StableHash.Of(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, StableHash.Of("a"));
        Assert.Equal(0x85944171f73967e8UL, StableHash.Of("foobar"));
    }

    [Theory]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(4000)]
    public void StableHash_of_long_and_non_ascii_text_is_fnv1a_over_its_utf8_bytes(int length)
    {
        var text = string.Concat(Enumerable.Range(0, length).Select(i => i % 3 == 0 ? "é" : "x"));
        var expected = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            expected = (expected ^ b) * 1099511628211UL;
        }

        Assert.Equal(expected, StableHash.Of(text));
    }
}
