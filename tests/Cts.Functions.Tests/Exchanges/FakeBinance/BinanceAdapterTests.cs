using Cts.Domain.Exchanges;
using Cts.Domain.Trading;
using Cts.Functions.Exchanges;
using Cts.Functions.Exchanges.Binance;
using Cts.Functions.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Exchanges.FakeBinance;

/// <summary>The binance adapter against the strict fake exchange, without an engine around it.</summary>
public sealed class BinanceAdapterTests : IAsyncLifetime
{
    private const string Key = "adapter-key-0001";
    private const string Secret = "adapter-secret-0001";

    private FakeBinanceServer _fake = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBinanceServer.StartAsync();
        _fake.AddAccount(Key, Secret, usdt: 1_000m);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exchanges:Binance:BaseUrl"] = _fake.BaseUrl,
        }).Build();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider())
            .AddSingleton<SecretProtector>()
            .AddCtsBinance(configuration)
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private IExchange Exchange(string key = Key, string secret = Secret)
    {
        var venues = _services.GetRequiredService<BinanceVenues>();
        return new BinanceExchange(venues.For(_fake.BaseUrl), [FakeBinanceServer.Symbol], new BinanceCredentials(key, secret), TimeProvider.System);
    }

    [Fact]
    public async Task Probe_reports_trading_rights_the_symbol_rules_and_a_refused_key_with_its_reason()
    {
        var probe = await Exchange().ProbeAsync([FakeBinanceServer.Symbol], TimeProvider.System, CancellationToken.None);

        Assert.True(probe.Ok, probe.Reason);
        Assert.True(probe.CanTrade);
        Assert.NotNull(probe.ClockSkewMs);
        Assert.Equal(new SymbolRules(FakeBinanceServer.Symbol, FakeBinanceServer.TickSize, FakeBinanceServer.StepSize,
            FakeBinanceServer.MinQty, FakeBinanceServer.MinNotional), Assert.Single(probe.Symbols));

        var refused = await Exchange("unknown-key", Secret).ProbeAsync([FakeBinanceServer.Symbol], TimeProvider.System, CancellationToken.None);
        Assert.False(refused.Ok);
        Assert.Contains("-2015", refused.Reason);

        var wrongSecret = await Exchange(Key, "not-the-secret").ProbeAsync([FakeBinanceServer.Symbol], TimeProvider.System, CancellationToken.None);
        Assert.False(wrongSecret.Ok);
        Assert.Contains("-1022", wrongSecret.Reason);
    }

    [Fact]
    public async Task A_buy_is_signed_filled_and_holds_the_quantity_less_the_base_commission_rounded_to_the_step()
    {
        var exchange = Exchange();
        await exchange.CheckAsync(CancellationToken.None);

        var result = await exchange.PlaceOrderAsync(OrderRequest.Buy("cts-adapter-buy-1", FakeBinanceServer.Symbol, 100m), CancellationToken.None);

        var order = Assert.Single(_fake.Orders);
        Assert.Equal(OrderStatus.Filled, result.Status);
        Assert.Equal("BUY", order.Side);
        Assert.Equal(100m, order.QuoteOrderQty);
        var commission = order.Trades.Single().Commission;
        Assert.Equal(Math.Floor((order.ExecutedQty - commission) / FakeBinanceServer.StepSize) * FakeBinanceServer.StepSize, result.Quantity);
        Assert.Equal(order.CumulativeQuoteQty / order.ExecutedQty, result.Price);
        Assert.Equal(order.CumulativeQuoteQty, result.Quantity * result.Price + result.Fee);

        var found = await exchange.GetOrderAsync(FakeBinanceServer.Symbol, "cts-adapter-buy-1", CancellationToken.None);
        Assert.Equal(result with { At = found!.At }, found);
        Assert.Null(await exchange.GetOrderAsync(FakeBinanceServer.Symbol, "cts-never-sent", CancellationToken.None));
    }

    [Fact]
    public async Task After_a_5xx_for_an_executed_order_sending_it_again_looks_it_up_instead_of_placing_a_second()
    {
        var exchange = Exchange();
        _fake.FailNextOrder(OrderFault.ServerErrorAfterFill);

        var failure = await Assert.ThrowsAsync<ExchangeException>(() =>
            exchange.PlaceOrderAsync(OrderRequest.Buy("cts-adapter-5xx", FakeBinanceServer.Symbol, 50m), CancellationToken.None));
        Assert.Equal(ExchangeFaultKind.Transient, failure.Kind);
        var again = await exchange.PlaceOrderAsync(OrderRequest.Buy("cts-adapter-5xx", FakeBinanceServer.Symbol, 50m), CancellationToken.None);

        Assert.Equal(OrderStatus.Filled, again.Status);
        Assert.Single(_fake.Orders);
        Assert.Single(_fake.RequestsTo("POST", "/api/v3/order"));
        Assert.NotEmpty(_fake.RequestsTo("GET", "/api/v3/order"));
    }

    [Fact]
    public async Task An_entry_below_the_minimum_notional_or_beyond_the_balance_is_not_sent()
    {
        var exchange = Exchange();

        var small = await exchange.PlaceOrderAsync(OrderRequest.Buy("cts-adapter-small", FakeBinanceServer.Symbol, 5m), CancellationToken.None);
        var large = await exchange.PlaceOrderAsync(OrderRequest.Buy("cts-adapter-large", FakeBinanceServer.Symbol, 5_000m), CancellationToken.None);

        Assert.False(small.Sent);
        Assert.Equal(OrderStatus.Rejected, small.Status);
        Assert.Contains("below the minimum notional 10", small.RejectReason);
        Assert.False(large.Sent);
        Assert.Contains("insufficient USDT balance", large.RejectReason);
        Assert.Empty(_fake.RequestsTo("POST", "/api/v3/order"));
    }

    [Fact]
    public async Task A_timestamp_refused_for_clock_skew_resyncs_and_the_order_is_accepted()
    {
        var exchange = Exchange();
        await exchange.CheckAsync(CancellationToken.None);
        _fake.SkewMs = -3_000; // the venue's clock now runs 3 s behind: our timestamps are ahead of it

        var result = await exchange.PlaceOrderAsync(OrderRequest.Buy("cts-adapter-skew", FakeBinanceServer.Symbol, 50m), CancellationToken.None);

        Assert.Equal(OrderStatus.Filled, result.Status);
        var requests = _fake.Requests.ToList();
        var refused = requests.FindIndex(r => r.Code == Cts.Domain.Exchanges.Binance.BinanceErrors.InvalidTimestamp);
        Assert.True(refused >= 0, _fake.Describe());
        Assert.Contains(requests.Skip(refused + 1), r => r.Path == "/api/v3/time");
        Assert.Single(_fake.Orders);
    }

    [Fact]
    public async Task A_429_holds_every_later_call_of_the_node_until_its_retry_after_has_passed()
    {
        var exchange = Exchange();
        _fake.ThrottleNext("/api/v3/ticker/bookTicker", retryAfterSeconds: 30);

        var throttled = await Assert.ThrowsAsync<ExchangeException>(() => exchange.GetQuoteAsync(FakeBinanceServer.Symbol, CancellationToken.None).AsTask());
        var held = await Assert.ThrowsAsync<ExchangeException>(() => exchange.GetCandlesAsync(FakeBinanceServer.Symbol, 60, CancellationToken.None));

        Assert.True(throttled.TryGetRetryAfter(out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(30), retryAfter);
        Assert.True(held.TryGetRetryAfter(out var rest) && rest > TimeSpan.Zero && rest <= retryAfter);
        Assert.Empty(_fake.RequestsTo("GET", "/api/v3/klines"));
    }
}
