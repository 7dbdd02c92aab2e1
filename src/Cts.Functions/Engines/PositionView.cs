using Cts.Domain.Trading;

namespace Cts.Functions.Engines;

/// <summary>A position as the API shows it and as it crosses the grain boundary.</summary>
[GenerateSerializer, Immutable]
public sealed record PositionView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string ConnectionId { get; init; }
    [Id(2)] public required string Symbol { get; init; }
    [Id(3)] public required string Status { get; init; }
    [Id(4)] public decimal Quantity { get; init; }
    [Id(5)] public decimal EntryPrice { get; init; }
    [Id(6)] public decimal EntryFee { get; init; }
    [Id(7)] public DateTimeOffset OpenedAt { get; init; }
    [Id(8)] public decimal HighestPrice { get; init; }
    [Id(9)] public decimal? ExitPrice { get; init; }
    [Id(10)] public decimal? ExitFee { get; init; }
    [Id(11)] public DateTimeOffset? ClosedAt { get; init; }
    [Id(12)] public string? ExitReason { get; init; }
    [Id(13)] public decimal? RealizedPnl { get; init; }
    [Id(14)] public required string ClientOrderId { get; init; }
    [Id(15)] public string? ExitClientOrderId { get; init; }

    public static PositionView From(Position p) => new()
    {
        Id = p.Id,
        ConnectionId = p.ConnectionId,
        Symbol = p.Symbol,
        Status = p.Status.ToString().ToLowerInvariant(),
        Quantity = p.Quantity,
        EntryPrice = p.EntryPrice,
        EntryFee = p.EntryFee,
        OpenedAt = p.OpenedAt,
        HighestPrice = p.HighestPrice,
        ExitPrice = p.ExitPrice,
        ExitFee = p.ExitFee,
        ClosedAt = p.ClosedAt,
        ExitReason = p.ExitReason is { } reason ? ToWire(reason) : null,
        RealizedPnl = p.RealizedPnl,
        ClientOrderId = p.ClientOrderId,
        ExitClientOrderId = p.ExitClientOrderId,
    };

    /// <summary>kebab-case wire names: stop-loss, take-profit, trailing-stop, signal, manual, shutdown, connection-deleted.</summary>
    private static string ToWire(ExitReason reason) =>
        string.Concat(reason.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>How a forced close went.</summary>
public enum CloseOutcome
{
    Closed,
    NotFound,
    Rejected,
}

[GenerateSerializer, Immutable]
public sealed record PositionCloseResult(
    [property: Id(0)] CloseOutcome Outcome,
    [property: Id(1)] PositionView? Position,
    [property: Id(2)] string? Detail = null);
