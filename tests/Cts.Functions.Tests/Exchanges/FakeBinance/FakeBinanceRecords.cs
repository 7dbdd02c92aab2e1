namespace Cts.Functions.Tests.Exchanges.FakeBinance;

/// <summary>One request the fake answered: when it arrived and when the answer left (wall clock), what, and how it ended.</summary>
public sealed record FakeRequest(DateTimeOffset ReceivedAt, DateTimeOffset AnsweredAt, string Method, string Path, string Query,
    int Status, int? Code, string? ApiKey);

/// <summary>One trade of an order, as the fake reports it in fills and myTrades.</summary>
public sealed record FakeTrade(long TradeId, decimal Price, decimal Quantity, decimal Commission, string CommissionAsset);

/// <summary>An order the fake placed (MARKET orders fill at once).</summary>
public sealed record FakeOrder(long OrderId, string ClientOrderId, string Symbol, string Side, string Status, decimal OrigQty,
    decimal ExecutedQty, decimal CumulativeQuoteQty, decimal? QuoteOrderQty, long Time, IReadOnlyList<FakeTrade> Trades);

/// <summary>How the fake answers one order placement after it has executed it.</summary>
public enum OrderFault
{
    /// <summary>Execute the order, then answer 500 (execution status unknown to the client).</summary>
    ServerErrorAfterFill,

    /// <summary>Execute the order, then hold the answer until <see cref="FakeBinanceServer.ReleaseHeldOrders"/> or the client goes away.</summary>
    HoldResponseAfterFill,
}
