namespace Cts.Functions.Exchanges.Binance;

/// <summary>
/// The endpoints the adapter calls and their request weight (rest-api.md: each endpoint's "Weight"). The weight is
/// reserved in the node's budget before a call goes out, so calls back off before the venue's limit.
/// </summary>
public sealed record BinanceEndpoint(string Method, string Path, int Weight)
{
    public static readonly BinanceEndpoint Ping = new("GET", "/api/v3/ping", 1);
    public static readonly BinanceEndpoint Time = new("GET", "/api/v3/time", 1);
    public static readonly BinanceEndpoint ExchangeInfo = new("GET", "/api/v3/exchangeInfo", 20);
    public static readonly BinanceEndpoint Klines = new("GET", "/api/v3/klines", 2);
    public static readonly BinanceEndpoint BookTicker = new("GET", "/api/v3/ticker/bookTicker", 2);
    public static readonly BinanceEndpoint NewOrder = new("POST", "/api/v3/order", 1);
    public static readonly BinanceEndpoint QueryOrder = new("GET", "/api/v3/order", 4);
    public static readonly BinanceEndpoint CancelOrder = new("DELETE", "/api/v3/order", 1);
    public static readonly BinanceEndpoint Account = new("GET", "/api/v3/account", 20);
    public static readonly BinanceEndpoint MyTrades = new("GET", "/api/v3/myTrades", 20);

    public override string ToString() => $"{Method} {Path}";
}
