using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cts.Domain.Exchanges.Binance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Cts.Functions.Tests.Exchanges.FakeBinance;

/// <summary>
/// A strict local Binance spot REST API on 127.0.0.1 (a free port), run in the test process so it outlives a host that is
/// killed. What it enforces, each from the documentation of binance/binance-spot-api-docs:
/// <list type="bullet">
/// <item>rest-api.md "SIGNED Endpoint security": <c>X-MBX-APIKEY</c> of a known account (else 401 -2015, -2014 without a
/// key), a hex HMAC-SHA256 <c>signature</c> of the query string plus body (else -1022), a <c>timestamp</c> not more than
/// 1 s ahead of its clock and not older than <c>recvWindow</c> (default 5000, at most 60000) (else -1021);</item>
/// <item>rest-api.md "IP Limits": each endpoint's weight counted per minute, <c>X-MBX-USED-WEIGHT-1M</c> on every answer,
/// 429 -1003 with <c>Retry-After</c> past the limit;</item>
/// <item>filters.md: LOT_SIZE / MARKET_LOT_SIZE step and bounds, NOTIONAL minimum for MARKET orders (-1013 "Filter failure");
/// the balance (-2010 insufficient balance); errors.md -1121 for an unknown symbol, -2013 for an unknown order;</item>
/// <item>"New order": <c>newClientOrderId</c> must be unique among OPEN orders only — a MARKET order fills at once, so
/// the same id sent again places a second order, as on the real venue.</item>
/// </list>
/// Faults are injected per test: a 429 with Retry-After, a 500 or a held answer after an order was executed, a clock skew.
/// </summary>
public sealed partial class FakeBinanceServer : IAsyncDisposable
{
    public const string Symbol = "BTCUSDT";
    public const decimal StepSize = 0.00001m;
    public const decimal TickSize = 0.01m;
    public const decimal MinQty = 0.00001m;
    public const decimal MinNotional = 10m;
    public const decimal CommissionRate = 0.001m;

    private static readonly Dictionary<string, int> Weights = new(StringComparer.Ordinal)
    {
        ["GET /api/v3/ping"] = 1, ["GET /api/v3/time"] = 1, ["GET /api/v3/exchangeInfo"] = 20, ["GET /api/v3/klines"] = 2,
        ["GET /api/v3/ticker/bookTicker"] = 2, ["POST /api/v3/order"] = 1, ["GET /api/v3/order"] = 4, ["DELETE /api/v3/order"] = 1,
        ["GET /api/v3/account"] = 20, ["GET /api/v3/myTrades"] = 20,
    };

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeBinanceAccount> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly List<FakeOrder> _orders = [];
    private readonly ConcurrentQueue<(string Path, int RetryAfterSeconds)> _throttles = new();
    private readonly ConcurrentQueue<OrderFault> _orderFaults = new();
    private readonly object _weightGate = new();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _minute;
    private int _used;
    private long _skewMs;
    private long _nextId = 1000;

    private FakeBinanceServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public FakeBinanceMarket Market { get; } = new();

    /// <summary>REQUEST_WEIGHT per minute; past it, 429 with Retry-After.</summary>
    public int WeightLimit { get; set; } = 6000;

    /// <summary>Whether a buy's commission is charged in the base asset (else in quote).</summary>
    public bool CommissionInBase { get; set; } = true;

    /// <summary>The fake's clock minus the wall clock, in ms (a negative skew makes a client's timestamps run ahead).</summary>
    public long SkewMs
    {
        get => Interlocked.Read(ref _skewMs);
        set => Interlocked.Exchange(ref _skewMs, value);
    }

    /// <summary>When set, the clock jumps by this many ms right after the first account request is answered.</summary>
    public long? SkewAfterFirstAccount { get; set; }

    /// <summary>Completes when an order was executed and its answer is being held (<see cref="OrderFault.HoldResponseAfterFill"/>).</summary>
    public TaskCompletionSource<FakeOrder> OrderHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<FakeRequest> Requests => _requests.ToArray();

    public IReadOnlyList<FakeOrder> Orders
    {
        get
        {
            lock (_orders)
            {
                return _orders.ToList();
            }
        }
    }

    public static async Task<FakeBinanceServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeBinanceServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    /// <summary>An account with <paramref name="usdt"/> USDT, reachable with this key pair.</summary>
    public FakeBinanceAccount AddAccount(string apiKey, string apiSecret, decimal usdt = 10_000m)
    {
        var account = new FakeBinanceAccount(apiKey, apiSecret);
        account.Set("USDT", usdt);
        _accounts[apiKey] = account;
        return account;
    }

    /// <summary>The next request to <paramref name="path"/> is answered 429 -1003 with <c>Retry-After</c>.</summary>
    public void ThrottleNext(string path, int retryAfterSeconds) => _throttles.Enqueue((path, retryAfterSeconds));

    /// <summary>The next order placement is executed, then answered with <paramref name="fault"/>.</summary>
    public void FailNextOrder(OrderFault fault) => _orderFaults.Enqueue(fault);

    /// <summary>Lets held order answers go.</summary>
    public void ReleaseHeldOrders() => _release.TrySetResult();

    public long ServerNowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + SkewMs;

    public IReadOnlyList<FakeRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToList();

    public string Describe() =>
        "fake binance requests:" + Environment.NewLine + string.Join(Environment.NewLine,
            Requests.TakeLast(40).Select(r => $"  {r.ReceivedAt:HH:mm:ss.fff} {r.Method} {r.Path} → {r.Status} {r.Code}"));

    public async ValueTask DisposeAsync()
    {
        ReleaseHeldOrders();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var received = DateTimeOffset.UtcNow;
        var request = http.Request;
        var endpoint = $"{request.Method} {request.Path.Value}";
        var body = "";
        if (request.HasFormContentType || request.ContentLength > 0)
        {
            using var reader = new StreamReader(request.Body);
            body = await reader.ReadToEndAsync();
        }
        var parameters = QueryHelpers.ParseQuery(request.QueryString.Value);
        foreach (var (name, value) in QueryHelpers.ParseQuery(body))
        {
            parameters.TryAdd(name, value); // the query string wins over the body
        }
        Answer answer;
        try
        {
            answer = Weights.TryGetValue(endpoint, out var weight)
                ? await ServeAsync(http, endpoint, weight, parameters, body)
                : Answer.Error(404, -1000, "Unknown endpoint.");
        }
        catch (BadRequest e)
        {
            answer = Answer.Error(e.Status, e.Code, e.Message);
        }
        http.Response.StatusCode = answer.Status;
        http.Response.Headers["X-MBX-USED-WEIGHT-1M"] = UsedWeight().ToString(CultureInfo.InvariantCulture);
        if (answer.RetryAfterSeconds is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }
        http.Response.ContentType = "application/json";
        _requests.Enqueue(new FakeRequest(received, DateTimeOffset.UtcNow, request.Method, request.Path.Value ?? "",
            request.QueryString.Value ?? "", answer.Status, answer.Code, request.Headers["X-MBX-APIKEY"].FirstOrDefault()));
        if (!answer.Abandon)
        {
            await http.Response.WriteAsync(JsonSerializer.Serialize(answer.Body));
        }
    }

    private async Task<Answer> ServeAsync(HttpContext http, string endpoint, int weight, Dictionary<string, StringValues> p, string body)
    {
        if (_throttles.TryPeek(out var throttle) && throttle.Path == http.Request.Path.Value && _throttles.TryDequeue(out throttle))
        {
            return Answer.Error(429, BinanceErrors.TooManyRequests, "Too much request weight used.", throttle.RetryAfterSeconds);
        }
        if (!Spend(weight, out var retryAfter))
        {
            return Answer.Error(429, BinanceErrors.TooManyRequests, "Too much request weight used; current limit exceeded.", retryAfter);
        }
        switch (endpoint)
        {
            case "GET /api/v3/ping":
                return Answer.Ok(new { });
            case "GET /api/v3/time":
                return Answer.Ok(new { serverTime = ServerNowMs() });
            case "GET /api/v3/exchangeInfo":
                return ExchangeInfo(p);
            case "GET /api/v3/klines":
                return Klines(p);
            case "GET /api/v3/ticker/bookTicker":
                KnownSymbol(p);
                var (bid, ask) = Market.QuoteAt(ServerNowMs());
                return Answer.Ok(new { symbol = Symbol, bidPrice = Text(bid), bidQty = "10.00000000", askPrice = Text(ask), askQty = "10.00000000" });
        }
        var account = Authenticate(http, p, body);
        switch (endpoint)
        {
            case "GET /api/v3/account":
                var snapshot = account.Snapshot();
                if (SkewAfterFirstAccount is { } jump)
                {
                    SkewAfterFirstAccount = null;
                    SkewMs += jump;
                }
                var omitZero = p.TryGetValue("omitZeroBalances", out var omit) && omit == "true";
                return Answer.Ok(new
                {
                    makerCommission = 10, takerCommission = 10, buyerCommission = 0, sellerCommission = 0,
                    canTrade = account.CanTrade, canWithdraw = true, canDeposit = true, brokered = false,
                    requireSelfTradePrevention = false, updateTime = ServerNowMs(), accountType = "SPOT",
                    balances = snapshot.Where(b => !omitZero || b.Value != 0)
                        .Select(b => new { asset = b.Key, free = Text(b.Value), locked = "0.00000000" }).ToArray(),
                    permissions = new[] { "SPOT" },
                });
            case "POST /api/v3/order":
                return await PlaceAsync(http, account, p);
            case "GET /api/v3/order":
                KnownSymbol(p);
                var found = FindOrder(p) ?? throw new BadRequest(400, BinanceErrors.NoSuchOrder, "Order does not exist.");
                return Answer.Ok(OrderView(found));
            case "DELETE /api/v3/order":
                KnownSymbol(p);
                _ = FindOrder(p) ?? throw new BadRequest(400, BinanceErrors.NoSuchOrder, "Order does not exist.");
                throw new BadRequest(400, BinanceErrors.CancelRejected, "Unknown order sent."); // market orders are never open
            case "GET /api/v3/myTrades":
                KnownSymbol(p);
                var orderId = long.Parse(Required(p, "orderId"), CultureInfo.InvariantCulture);
                var order = Orders.FirstOrDefault(o => o.OrderId == orderId);
                return Answer.Ok((order?.Trades ?? []).Select(t => new
                {
                    symbol = Symbol, id = t.TradeId, orderId, orderListId = -1, price = Text(t.Price), qty = Text(t.Quantity),
                    quoteQty = Text(t.Price * t.Quantity), commission = Text(t.Commission), commissionAsset = t.CommissionAsset,
                    time = order!.Time, isBuyer = order.Side == "BUY", isMaker = false, isBestMatch = true,
                }).ToArray());
            default:
                return Answer.Error(404, -1000, "Unknown endpoint.");
        }
    }

    private FakeBinanceAccount Authenticate(HttpContext http, Dictionary<string, StringValues> p, string body)
    {
        var key = http.Request.Headers["X-MBX-APIKEY"].FirstOrDefault();
        if (string.IsNullOrEmpty(key))
        {
            throw new BadRequest(401, BinanceErrors.BadApiKeyFormat, "API-key format invalid.");
        }
        if (!_accounts.TryGetValue(key, out var account))
        {
            throw new BadRequest(401, BinanceErrors.RejectedKey, "Invalid API-key, IP, or permissions for action.");
        }
        // totalParams: the query string (without the signature) followed by the body.
        var query = (http.Request.QueryString.Value ?? "").TrimStart('?');
        var unsigned = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(pair => !pair.StartsWith("signature=", StringComparison.Ordinal)));
        var bodyUnsigned = string.Join('&', body.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(pair => !pair.StartsWith("signature=", StringComparison.Ordinal)));
        p.TryGetValue("signature", out var signature);
        if (!BinanceSignature.Verify(account.ApiSecret, BinanceSignature.Payload(unsigned, bodyUnsigned), signature.FirstOrDefault()))
        {
            throw new BadRequest(400, BinanceErrors.InvalidSignature, "Signature for this request is not valid.");
        }
        var timestamp = long.Parse(Required(p, "timestamp"), CultureInfo.InvariantCulture);
        var recvWindow = p.TryGetValue("recvWindow", out var window) ? long.Parse(window!, CultureInfo.InvariantCulture) : 5000;
        if (recvWindow > 60_000)
        {
            throw new BadRequest(400, -1131, "recvWindow must be less than 60000");
        }
        var now = ServerNowMs();
        if (!(timestamp < now + 1000 && now - timestamp <= recvWindow))
        {
            throw new BadRequest(400, BinanceErrors.InvalidTimestamp, timestamp >= now + 1000
                ? "Timestamp for this request was 1000ms ahead of the server's time."
                : "Timestamp for this request is outside of the recvWindow.");
        }
        return account;
    }

    private async Task<Answer> PlaceAsync(HttpContext http, FakeBinanceAccount account, Dictionary<string, StringValues> p)
    {
        KnownSymbol(p);
        var side = Required(p, "side");
        if (side is not ("BUY" or "SELL"))
        {
            throw new BadRequest(400, -1117, "Invalid side.");
        }
        if (Required(p, "type") != "MARKET")
        {
            throw new BadRequest(400, -1116, "Invalid orderType.");
        }
        var clientOrderId = p.TryGetValue("newClientOrderId", out var id) ? id.ToString() : $"fake-{Interlocked.Increment(ref _nextId)}";
        if (!ClientOrderIdPattern().IsMatch(clientOrderId))
        {
            throw new BadRequest(400, -1100, "Illegal characters found in parameter 'newClientOrderId'.");
        }
        var hasQuantity = p.TryGetValue("quantity", out var quantityText);
        var hasQuote = p.TryGetValue("quoteOrderQty", out var quoteText);
        if (hasQuantity == hasQuote)
        {
            throw new BadRequest(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
        }
        var (bid, ask) = Market.QuoteAt(ServerNowMs());
        FakeOrder order;
        lock (account.Gate)
        {
            lock (_orders)
            {
                // The id must be unique among OPEN orders only: a filled one does not stop another with the same id.
                if (_orders.Any(o => o.ClientOrderId == clientOrderId && o.Status == "NEW"))
                {
                    throw new BadRequest(400, BinanceErrors.NewOrderRejected, "Duplicate order sent.");
                }
            }
            decimal quantity;
            decimal price = side == "BUY" ? ask : bid;
            if (hasQuote)
            {
                var quote = Dec(quoteText!);
                quantity = Math.Floor(quote / price / StepSize) * StepSize;
            }
            else
            {
                quantity = Dec(quantityText!);
                if (quantity % StepSize != 0)
                {
                    throw new BadRequest(400, BinanceErrors.FilterFailure, "Filter failure: LOT_SIZE");
                }
            }
            if (quantity < MinQty || quantity > 100m)
            {
                throw new BadRequest(400, BinanceErrors.FilterFailure, "Filter failure: MARKET_LOT_SIZE");
            }
            var notional = quantity * price;
            if (notional < MinNotional)
            {
                throw new BadRequest(400, BinanceErrors.FilterFailure, "Filter failure: NOTIONAL");
            }
            FakeTrade trade;
            if (side == "BUY")
            {
                if (account.Free("USDT") < notional)
                {
                    throw new BadRequest(400, BinanceErrors.NewOrderRejected, "Account has insufficient balance for requested action.");
                }
                var commission = CommissionInBase ? decimal.Round(quantity * CommissionRate, 8, MidpointRounding.ToPositiveInfinity)
                    : decimal.Round(notional * CommissionRate, 8, MidpointRounding.ToPositiveInfinity);
                account.Add("USDT", -notional - (CommissionInBase ? 0 : commission));
                account.Add("BTC", quantity - (CommissionInBase ? commission : 0));
                trade = new FakeTrade(Interlocked.Increment(ref _nextId), price, quantity, commission, CommissionInBase ? "BTC" : "USDT");
            }
            else
            {
                if (account.Free("BTC") < quantity)
                {
                    throw new BadRequest(400, BinanceErrors.NewOrderRejected, "Account has insufficient balance for requested action.");
                }
                var commission = decimal.Round(notional * CommissionRate, 8, MidpointRounding.ToPositiveInfinity);
                account.Add("BTC", -quantity);
                account.Add("USDT", notional - commission);
                trade = new FakeTrade(Interlocked.Increment(ref _nextId), price, quantity, commission, "USDT");
            }
            order = new FakeOrder(Interlocked.Increment(ref _nextId), clientOrderId, Symbol, side, "FILLED", quantity, quantity, notional,
                hasQuote ? Dec(quoteText!) : null, ServerNowMs(), [trade]);
            lock (_orders)
            {
                _orders.Add(order);
            }
        }
        if (_orderFaults.TryDequeue(out var fault))
        {
            if (fault == OrderFault.ServerErrorAfterFill)
            {
                return Answer.Error(500, -1000, "An unknown error occurred while processing the request.");
            }
            OrderHeld.TrySetResult(order);
            try
            {
                await _release.Task.WaitAsync(http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Answer.Gone();
            }
        }
        var view = OrderView(order);
        view["transactTime"] = order.Time;
        view["fills"] = order.Trades.Select(t => new Dictionary<string, object>
        {
            ["price"] = Text(t.Price), ["qty"] = Text(t.Quantity), ["commission"] = Text(t.Commission),
            ["commissionAsset"] = t.CommissionAsset, ["tradeId"] = t.TradeId,
        }).ToArray();
        return Answer.Ok(view);
    }

    private FakeOrder? FindOrder(Dictionary<string, StringValues> p)
    {
        var orders = Orders;
        if (p.TryGetValue("origClientOrderId", out var clientId))
        {
            return orders.LastOrDefault(o => o.ClientOrderId == clientId);
        }
        if (p.TryGetValue("orderId", out var orderId))
        {
            return orders.FirstOrDefault(o => o.OrderId.ToString(CultureInfo.InvariantCulture) == orderId);
        }
        throw new BadRequest(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    }

    private static Dictionary<string, object> OrderView(FakeOrder o) => new()
    {
        ["symbol"] = o.Symbol, ["orderId"] = o.OrderId, ["orderListId"] = -1, ["clientOrderId"] = o.ClientOrderId, ["price"] = "0.00000000",
        ["origQty"] = Text(o.OrigQty), ["executedQty"] = Text(o.ExecutedQty), ["cummulativeQuoteQty"] = Text(o.CumulativeQuoteQty),
        ["status"] = o.Status, ["timeInForce"] = "GTC", ["type"] = "MARKET", ["side"] = o.Side, ["time"] = o.Time, ["updateTime"] = o.Time,
        ["workingTime"] = o.Time, ["isWorking"] = true, ["origQuoteOrderQty"] = Text(o.QuoteOrderQty ?? 0m), ["selfTradePreventionMode"] = "NONE",
    };

    private Answer ExchangeInfo(Dictionary<string, StringValues> p)
    {
        KnownSymbol(p);
        return Answer.Ok(new
        {
            timezone = "UTC",
            serverTime = ServerNowMs(),
            rateLimits = new object[]
            {
                new { rateLimitType = "REQUEST_WEIGHT", interval = "MINUTE", intervalNum = 1, limit = WeightLimit },
                new { rateLimitType = "ORDERS", interval = "SECOND", intervalNum = 10, limit = 100 },
            },
            exchangeFilters = Array.Empty<object>(),
            symbols = new[]
            {
                new
                {
                    symbol = Symbol, status = "TRADING", baseAsset = "BTC", baseAssetPrecision = 8, quoteAsset = "USDT", quotePrecision = 8,
                    quoteAssetPrecision = 8, orderTypes = new[] { "LIMIT", "MARKET" }, quoteOrderQtyMarketAllowed = true,
                    isSpotTradingAllowed = true, isMarginTradingAllowed = false, permissions = new[] { "SPOT" },
                    filters = new object[]
                    {
                        new { filterType = "PRICE_FILTER", minPrice = "0.01000000", maxPrice = "1000000.00000000", tickSize = Text(TickSize) },
                        new { filterType = "LOT_SIZE", minQty = Text(MinQty), maxQty = "9000.00000000", stepSize = Text(StepSize) },
                        new { filterType = "MARKET_LOT_SIZE", minQty = "0.00000000", maxQty = "100.00000000", stepSize = "0.00000000" },
                        new { filterType = "NOTIONAL", minNotional = Text(MinNotional), applyMinToMarket = true, maxNotional = "9000000.00000000",
                            applyMaxToMarket = false, avgPriceMins = 5 },
                    },
                },
            },
        });
    }

    private Answer Klines(Dictionary<string, StringValues> p)
    {
        KnownSymbol(p);
        if (Required(p, "interval") != "1m")
        {
            throw new BadRequest(400, -1120, "Invalid interval.");
        }
        var limit = p.TryGetValue("limit", out var l) ? int.Parse(l!, CultureInfo.InvariantCulture) : 500;
        if (limit is < 1 or > 1000)
        {
            throw new BadRequest(400, -1130, "Data sent for parameter 'limit' is not valid.");
        }
        var current = ServerNowMs() / 60_000;
        var rows = new List<object[]>();
        for (var minute = current - limit + 1; minute <= current; minute++)
        {
            var close = Market.CloseOf(minute);
            var open = Market.CloseOf(minute - 1);
            var high = Math.Max(open, close) + 5m;
            var low = Math.Min(open, close) - 5m;
            rows.Add([minute * 60_000, Text(open), Text(high), Text(low), Text(close), "12.50000000", minute * 60_000 + 59_999,
                "625000.00000000", 100, "6.00000000", "300000.00000000", "0"]);
        }
        return Answer.Ok(rows);
    }

    private static void KnownSymbol(Dictionary<string, StringValues> p)
    {
        if (Required(p, "symbol") != Symbol)
        {
            throw new BadRequest(400, BinanceErrors.BadSymbol, "Invalid symbol.");
        }
    }

    private static string Required(Dictionary<string, StringValues> p, string name) =>
        p.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value)
            ? value.ToString()
            : throw new BadRequest(400, -1102, $"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.");

    private bool Spend(int weight, out int retryAfterSeconds)
    {
        lock (_weightGate)
        {
            var now = ServerNowMs();
            var minute = now / 60_000;
            if (minute != _minute)
            {
                (_minute, _used) = (minute, 0);
            }
            retryAfterSeconds = (int)Math.Ceiling((60_000 - now % 60_000) / 1000.0);
            if (_used + weight > WeightLimit)
            {
                return false;
            }
            _used += weight;
            return true;
        }
    }

    private int UsedWeight()
    {
        lock (_weightGate)
        {
            return _used;
        }
    }

    private static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Text(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[\.A-Z\:/a-z0-9_-]{1,36}\z")]
    private static partial Regex ClientOrderIdPattern();

    private sealed record Answer(int Status, object Body, int? Code = null, int? RetryAfterSeconds = null, bool Abandon = false)
    {
        public static Answer Ok(object body) => new(200, body);

        public static Answer Error(int status, int code, string message, int? retryAfter = null) =>
            new(status, new { code, msg = message }, code, retryAfter);

        public static Answer Gone() => new(499, new { }, Abandon: true);
    }

    private sealed class BadRequest(int status, int code, string message) : Exception(message)
    {
        public int Status { get; } = status;
        public int Code { get; } = code;
    }
}
