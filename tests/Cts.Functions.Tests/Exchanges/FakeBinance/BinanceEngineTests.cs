using System.Text.Json.Nodes;
using Cts.Domain.Exchanges.Binance;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Exchanges.FakeBinance;

/// <summary>
/// Engines on exchange "binance" over the CTS HTTP API, with the host's <c>Exchanges:Binance:BaseUrl</c> pointed at the
/// strict fake exchange: the whole lifecycle, refused keys, throttling, clock skew, ambiguous order failures and the
/// shared market-data poll.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BinanceEngineTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private FakeBinanceServer _fake = null!;
    private FakeBinanceAccount _account = null!;
    private CtsAppFactory _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBinanceServer.StartAsync();
        _account = _fake.AddAccount(BinanceEngineApi.ApiKey, BinanceEngineApi.ApiSecret);
        _host = new CtsAppFactory(azurite, new Dictionary<string, string?> { ["Exchanges:Binance:BaseUrl"] = _fake.BaseUrl });
        _client = _host.CreateClient(Cts.Functions.Security.Roles.Admin);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Start_polls_candles_and_quotes_a_force_entry_is_a_signed_filled_order_and_the_stop_loss_sells_the_held_quantity()
    {
        await _client.CreateQuietPresetAsync();
        var started = await _client.StartBinanceEngineAsync("bn-life", presetId: "binance-quiet");
        Assert.Equal("Running", started.State());

        await Eventually.UntilAsync(() => Task.FromResult(_fake.RequestsTo("GET", "/api/v3/klines").Count > 0
            && _fake.RequestsTo("GET", "/api/v3/ticker/bookTicker").Count > 0), Wait, "candles and quotes are polled", _fake.Describe);
        Assert.Empty(_fake.Orders); // the quiet preset never enters by itself: the one order below is the operator's
        var entered = await _client.ForceEnterAsync("bn-life", FakeBinanceServer.Symbol, 100m);
        var open = await _client.PositionsAsync("bn-life", "open");
        Assert.Equal(entered["id"]!.GetValue<string>(), Assert.Single(open)!["id"]!.GetValue<string>());

        var buy = Assert.Single(_fake.Orders);
        Assert.Equal(("BUY", "FILLED", 100m), (buy.Side, buy.Status, buy.QuoteOrderQty));
        var position = open[0]!;
        Assert.Equal(buy.ClientOrderId, position["clientOrderId"]!.GetValue<string>());
        var held = buy.ExecutedQty - buy.Trades.Single().Commission; // commission charged in BTC
        var quantity = position["quantity"]!.GetValue<decimal>();
        Assert.Equal(Math.Floor(held / FakeBinanceServer.StepSize) * FakeBinanceServer.StepSize, quantity);
        Assert.Equal(buy.CumulativeQuoteQty / buy.ExecutedQty, position["entryPrice"]!.GetValue<decimal>());

        _fake.Market.Factor = 0.95m; // a 5 % fall: below the 2 % stop-loss

        var closed = await Eventually.UntilAsync(() => _client.PositionsAsync("bn-life", "closed"), p => p.Count == 1, Wait,
            "the stop-loss closes the position", _fake.Describe);
        Assert.Equal("stop-loss", closed[0]!["exitReason"]!.GetValue<string>());
        var sell = _fake.Orders.Single(o => o.Side == "SELL");
        Assert.Equal(quantity, sell.ExecutedQty);
        Assert.Equal(0m, sell.ExecutedQty % FakeBinanceServer.StepSize);
        Assert.Equal(closed[0]!["exitClientOrderId"]!.GetValue<string>(), sell.ClientOrderId);
        var dust = _account.Free("BTC");
        Assert.True(dust >= 0 && dust < FakeBinanceServer.StepSize, $"what is left after selling the held quantity is dust: {dust}");
        Assert.DoesNotContain(_fake.Requests, r => r.Status >= 400);
    }

    [Theory]
    [InlineData("not-a-known-key", BinanceEngineApi.ApiSecret, BinanceErrors.RejectedKey)]
    [InlineData(BinanceEngineApi.ApiKey, "not-the-secret", BinanceErrors.InvalidSignature)]
    public async Task A_refused_key_puts_the_engine_in_Error_credentials_rejected_with_no_retry(string apiKey, string apiSecret, int code)
    {
        await _client.CreatePresetAsync();

        var status = await _client.StartBinanceEngineAsync("bn-refused", apiKey: apiKey, apiSecret: apiSecret);

        Assert.Equal("Error", status.State());
        Assert.Equal("credentials-rejected", status["lastError"]!["kind"]!.GetValue<string>());
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), status["lastError"]!["message"]!.GetValue<string>());
        // No automatic retry: escalated at once, after zero retries, with no next attempt scheduled.
        var now = await _client.StatusAsync("bn-refused");
        Assert.True(now["escalated"]!.GetValue<bool>());
        Assert.Equal(0, now["retry"]!["attempt"]!.GetValue<int>());
        Assert.Null(now["retry"]!["nextAttemptAt"]);
        Assert.Single(_fake.Requests, r => r.ApiKey is not null);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_out_before_the_next_candle_request()
    {
        _fake.ThrottleNext("/api/v3/klines", retryAfterSeconds: 2);
        await _client.CreatePresetAsync();
        await _client.StartBinanceEngineAsync("bn-429");

        var klines = await Eventually.UntilAsync(() => Task.FromResult(_fake.RequestsTo("GET", "/api/v3/klines")), k => k.Count >= 2, Wait,
            "candles are requested again after the 429", _fake.Describe);

        var throttled = klines[0];
        Assert.Equal(429, throttled.Status);
        Assert.Equal(200, klines[1].Status);
        Assert.True(klines[1].ReceivedAt >= throttled.AnsweredAt + TimeSpan.FromSeconds(2),
            $"the next candle request came {(klines[1].ReceivedAt - throttled.AnsweredAt).TotalMilliseconds} ms after a 429 asking for 2 s");
        var status = await Eventually.UntilAsync(() => _client.StatusAsync("bn-429"),
            s => s["processors"]!["indications"]!["successes"]!.GetValue<long>() > 0, Wait, "the indications succeed after the wait");
        Assert.Equal("Running", status.State());
    }

    [Fact]
    public async Task A_clock_skew_of_3_s_is_resynced_and_the_order_accepted()
    {
        _fake.SkewAfterFirstAccount = -3_000; // after the start check, the venue's clock runs 3 s behind ours
        await _client.CreatePresetAsync();
        await _client.StartBinanceEngineAsync("bn-skew");

        await Eventually.UntilAsync(() => _client.PositionsAsync("bn-skew", "open"), p => p.Count == 1, Wait, "the entry is filled", _fake.Describe);

        var requests = _fake.Requests.ToList();
        var refused = requests.FindIndex(r => r.Code == BinanceErrors.InvalidTimestamp);
        Assert.True(refused >= 0, _fake.Describe());
        Assert.Contains(requests.Skip(refused + 1), r => r.Path == "/api/v3/time");
        Assert.Equal("FILLED", Assert.Single(_fake.Orders).Status);
    }

    [Theory]
    [InlineData(OrderFault.ServerErrorAfterFill)]
    [InlineData(OrderFault.HoldResponseAfterFill)]
    public async Task A_5xx_or_timeout_after_the_exchange_took_the_order_places_no_second_order(OrderFault fault)
    {
        _fake.FailNextOrder(fault);
        await _client.CreatePresetAsync();
        await _client.StartBinanceEngineAsync("bn-ambiguous");

        await Eventually.UntilAsync(() => _client.PositionsAsync("bn-ambiguous", "open"), p => p.Count == 1, Wait,
            "the order is found by its client order id and recorded", _fake.Describe);

        var order = Assert.Single(_fake.Orders);
        Assert.Single(_fake.RequestsTo("POST", "/api/v3/order"));
        Assert.Contains(_fake.RequestsTo("GET", "/api/v3/order"), r => r.Query.Contains("origClientOrderId=" + order.ClientOrderId));
        var position = Assert.Single(await _client.PositionsAsync("bn-ambiguous"));
        Assert.Equal(order.ClientOrderId, position!["clientOrderId"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_entry_below_the_minimum_notional_is_not_sent_and_the_reason_is_in_health_and_audit()
    {
        await _client.CreatePresetAsync("binance-tiny", positionSizeQuote: 5m);
        await _client.StartBinanceEngineAsync("bn-tiny", "binance-tiny");

        var status = await Eventually.UntilAsync(() => _client.StatusAsync("bn-tiny"),
            s => s["processors"]!["strategies"]!["lastError"] is not null, Wait, "the strategies cycle reports the refusal", _fake.Describe);

        Assert.Contains("below the minimum notional 10", status["processors"]!["strategies"]!["lastError"]!.GetValue<string>());
        var audit = await (await _client.GetAsync("/api/engines/bn-tiny/audit")).JsonAsync();
        Assert.Contains(audit!["entries"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "order-not-sent"
            && e["reason"]!.GetValue<string>().Contains("below the minimum notional 10", StringComparison.Ordinal));
        Assert.Empty(_fake.RequestsTo("POST", "/api/v3/order"));
        Assert.Empty(await _client.PositionsAsync("bn-tiny"));
    }

    [Fact]
    public async Task Fifty_engines_on_one_symbol_cost_one_candle_poll_per_interval()
    {
        await _client.CreatePresetAsync("binance-watch", positionSizeQuote: 5m); // below min notional: no orders, only polls
        var ids = Enumerable.Range(1, 50).Select(i => $"bn-many-{i:00}").ToArray();
        foreach (var id in ids)
        {
            await _client.StartBinanceEngineAsync(id, "binance-watch");
        }

        var runs = await Eventually.UntilAsync(async () =>
            {
                long total = 0;
                foreach (var id in ids)
                {
                    var status = await _client.StatusAsync(id);
                    total += status.Runs("indications") >= 3 ? status.Runs("indications") : -100_000;
                }
                return total;
            }, total => total > 0, Wait, "every engine has run its indications at least three times", _fake.Describe);

        var klines = _fake.RequestsTo("GET", "/api/v3/klines");
        var perMinute = klines.GroupBy(r => r.ReceivedAt.ToUnixTimeMilliseconds() / 60_000).ToList();
        Assert.True(runs >= 150, $"{runs} indications runs");
        Assert.All(perMinute, minute => Assert.Single(minute));
        Assert.InRange(klines.Count, 1, perMinute.Count);
        // Quotes too: one book ticker serves every engine for a second, so no two requests fall in the same second.
        var quotes = _fake.RequestsTo("GET", "/api/v3/ticker/bookTicker");
        Assert.All(quotes.GroupBy(r => r.ReceivedAt.ToUnixTimeMilliseconds() / 1_000), second => Assert.Single(second));
    }
}
