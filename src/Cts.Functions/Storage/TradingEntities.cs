using System.Globalization;
using Azure.Data.Tables;
using Cts.Domain.Trading;

namespace Cts.Functions.Storage;

/// <summary>
/// How intents, positions and the PnL summary are laid out in the <c>trading</c> table: partition per connection,
/// RowKey <c>intent-{clientOrderId}</c>, <c>position-{id}</c> or <c>summary</c>. Money is stored as invariant decimal
/// strings: tables have no decimal type and doubles would lose cents.
/// </summary>
public static class TradingEntities
{
    public const string TableName = "trading";
    public const string IntentPrefix = "intent-";
    public const string PositionPrefix = "position-";
    public const string SummaryKey = "summary";

    /// <summary>The filter for rows whose RowKey starts with <paramref name="prefix"/>.</summary>
    public static string PrefixFilter(string prefix) =>
        TableClient.CreateQueryFilter($"RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}");

    public static TableEntity ToEntity(string connectionId, OrderIntent i) => new(connectionId, IntentPrefix + i.ClientOrderId)
    {
        ["ClientOrderId"] = i.ClientOrderId,
        ["Symbol"] = i.Symbol,
        ["Side"] = i.Side.ToString(),
        ["Purpose"] = i.Purpose.ToString(),
        ["QuoteAmount"] = Money(i.QuoteAmount),
        ["Quantity"] = Money(i.Quantity),
        ["PositionId"] = i.PositionId,
        ["ExitReason"] = i.ExitReason?.ToString(),
        ["SignalTime"] = i.SignalTime,
        ["CreatedAt"] = i.CreatedAt,
        ["Status"] = i.Status.ToString(),
        ["RejectReason"] = i.RejectReason,
    };

    public static OrderIntent ToIntent(TableEntity e) => new(
        e.GetString("ClientOrderId"), e.GetString("Symbol"), Enum.Parse<OrderSide>(e.GetString("Side")),
        Enum.Parse<OrderPurpose>(e.GetString("Purpose")), Money(e, "QuoteAmount"), Money(e, "Quantity"), e.GetString("PositionId"),
        e.GetString("ExitReason") is { } reason ? Enum.Parse<ExitReason>(reason) : null, e.GetDateTimeOffset("SignalTime"),
        e.GetDateTimeOffset("CreatedAt") ?? default, Enum.Parse<IntentStatus>(e.GetString("Status")), e.GetString("RejectReason"));

    public static TableEntity ToEntity(Position p) => new(p.ConnectionId, PositionPrefix + p.Id)
    {
        ["Symbol"] = p.Symbol,
        ["Quantity"] = Money(p.Quantity),
        ["EntryPrice"] = Money(p.EntryPrice),
        ["EntryFee"] = Money(p.EntryFee),
        ["OpenedAt"] = p.OpenedAt,
        ["ClientOrderId"] = p.ClientOrderId,
        ["HighestPrice"] = Money(p.HighestPrice),
        ["Status"] = p.Status.ToString(),
        ["ExitPrice"] = Money(p.ExitPrice),
        ["ExitFee"] = Money(p.ExitFee),
        ["ClosedAt"] = p.ClosedAt,
        ["ExitReason"] = p.ExitReason?.ToString(),
        ["ExitClientOrderId"] = p.ExitClientOrderId,
        ["RealizedPnl"] = Money(p.RealizedPnl),
    };

    public static Position ToPosition(TableEntity e) => Position.Restore(
        e.RowKey[PositionPrefix.Length..], e.PartitionKey, e.GetString("Symbol"), Money(e, "Quantity")!.Value, Money(e, "EntryPrice")!.Value,
        Money(e, "EntryFee")!.Value, e.GetDateTimeOffset("OpenedAt") ?? default, e.GetString("ClientOrderId"),
        Money(e, "HighestPrice")!.Value, Enum.Parse<PositionStatus>(e.GetString("Status")), Money(e, "ExitPrice"), Money(e, "ExitFee"),
        e.GetDateTimeOffset("ClosedAt"), e.GetString("ExitReason") is { } reason ? Enum.Parse<ExitReason>(reason) : null,
        e.GetString("ExitClientOrderId"));

    public static TableEntity Summary(string connectionId, decimal realizedPnl) => new(connectionId, SummaryKey)
    {
        ["RealizedPnl"] = Money(realizedPnl),
    };

    public static string? Money(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static decimal? Money(TableEntity e, string column) =>
        e.GetString(column) is { } text ? decimal.Parse(text, CultureInfo.InvariantCulture) : null;
}
