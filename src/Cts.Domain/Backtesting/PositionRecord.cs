using Cts.Domain.Trading;

namespace Cts.Domain.Backtesting;

/// <summary>A <see cref="Position"/> as plain data, for checkpoints and stored trade lists; rebuilt through <see cref="Position.Restore"/>.</summary>
public sealed record PositionRecord(
    string Id, string ConnectionId, string Symbol, decimal Quantity, decimal EntryPrice, decimal EntryFee,
    DateTimeOffset OpenedAt, string ClientOrderId, decimal HighestPrice, PositionStatus Status,
    decimal? ExitPrice, decimal? ExitFee, DateTimeOffset? ClosedAt, ExitReason? ExitReason, string? ExitClientOrderId)
{
    public static PositionRecord From(Position p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.ConnectionId, p.Symbol, p.Quantity, p.EntryPrice, p.EntryFee, p.OpenedAt, p.ClientOrderId,
            p.HighestPrice, p.Status, p.ExitPrice, p.ExitFee, p.ClosedAt, p.ExitReason, p.ExitClientOrderId);
    }

    public Position ToPosition() => Position.Restore(Id, ConnectionId, Symbol, Quantity, EntryPrice, EntryFee, OpenedAt,
        ClientOrderId, HighestPrice, Status, ExitPrice, ExitFee, ClosedAt, ExitReason, ExitClientOrderId);
}
