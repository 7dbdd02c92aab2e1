namespace Cts.Domain.Trading;

/// <summary>
/// One long spot position, immutable: each change returns a new value, and the only transitions are
/// <see cref="Open"/> → <see cref="MarkTo"/>* → <see cref="Close"/>. Setters are private, so a <c>with</c> expression
/// outside this type cannot skip the guards (e.g. close twice, or mark a closed position).
/// </summary>
/// <remarks>Money is decimal throughout; fees are in quote currency.</remarks>
public sealed record Position
{
    private Position()
    {
    }

    public string Id { get; private init; } = "";
    public string ConnectionId { get; private init; } = "";
    public string Symbol { get; private init; } = "";

    /// <summary>Base quantity bought (and later sold in full).</summary>
    public decimal Quantity { get; private init; }

    /// <summary>Entry fill price (slippage included).</summary>
    public decimal EntryPrice { get; private init; }

    /// <summary>Entry fee, quote currency.</summary>
    public decimal EntryFee { get; private init; }

    public DateTimeOffset OpenedAt { get; private init; }

    /// <summary>Client order id of the entry order.</summary>
    public string ClientOrderId { get; private init; } = "";

    /// <summary>The highest of the entry price and every bid marked since: the anchor of the trailing stop.</summary>
    public decimal HighestPrice { get; private init; }

    public PositionStatus Status { get; private init; }
    public decimal? ExitPrice { get; private init; }
    public decimal? ExitFee { get; private init; }
    public DateTimeOffset? ClosedAt { get; private init; }
    public ExitReason? ExitReason { get; private init; }
    public string? ExitClientOrderId { get; private init; }

    public bool IsOpen => Status == PositionStatus.Open;

    /// <summary>What the entry cost in quote: quantity × entry price + entry fee.</summary>
    public decimal EntryCost => Quantity * EntryPrice + EntryFee;

    /// <summary>
    /// Profit or loss in quote once closed: quantity × exit price − exit fee − (quantity × entry price + entry fee).
    /// Null while open.
    /// </summary>
    public decimal? RealizedPnl => Status == PositionStatus.Closed
        ? Quantity * ExitPrice!.Value - ExitFee!.Value - EntryCost
        : null;

    /// <summary>A position from its entry fill. <see cref="HighestPrice"/> starts at the entry price.</summary>
    public static Position Open(string id, string connectionId, string symbol, decimal quantity, decimal entryPrice,
        decimal entryFee, DateTimeOffset openedAt, string clientOrderId)
    {
        Required(id, nameof(id));
        Required(connectionId, nameof(connectionId));
        Required(symbol, nameof(symbol));
        Required(clientOrderId, nameof(clientOrderId));
        Positive(quantity, nameof(quantity));
        Positive(entryPrice, nameof(entryPrice));
        NotNegative(entryFee, nameof(entryFee));
        return new Position
        {
            Id = id,
            ConnectionId = connectionId,
            Symbol = symbol,
            Quantity = quantity,
            EntryPrice = entryPrice,
            EntryFee = entryFee,
            OpenedAt = openedAt,
            ClientOrderId = clientOrderId,
            HighestPrice = entryPrice,
            Status = PositionStatus.Open,
        };
    }

    /// <summary>A position from an entry <see cref="Fill"/>.</summary>
    public static Position Open(string id, string connectionId, string symbol, Fill entry, DateTimeOffset openedAt,
        string clientOrderId)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Open(id, connectionId, symbol, entry.Quantity, entry.Price, entry.Fee, openedAt, clientOrderId);
    }

    /// <summary>
    /// Rebuilds a persisted position, checking that the fields describe a state the transitions could have produced
    /// (closed ⇔ all exit fields set, highest price not below entry).
    /// </summary>
    public static Position Restore(string id, string connectionId, string symbol, decimal quantity, decimal entryPrice,
        decimal entryFee, DateTimeOffset openedAt, string clientOrderId, decimal highestPrice, PositionStatus status,
        decimal? exitPrice, decimal? exitFee, DateTimeOffset? closedAt, ExitReason? exitReason, string? exitClientOrderId)
    {
        var position = Open(id, connectionId, symbol, quantity, entryPrice, entryFee, openedAt, clientOrderId);
        if (highestPrice < entryPrice)
        {
            throw new ArgumentOutOfRangeException(nameof(highestPrice), highestPrice, "must not be below the entry price");
        }
        position = position with { HighestPrice = highestPrice };
        switch (status)
        {
            case PositionStatus.Open:
                if (exitPrice is not null || exitFee is not null || closedAt is not null || exitReason is not null
                    || exitClientOrderId is not null)
                {
                    throw new ArgumentException("an open position has no exit fields", nameof(status));
                }
                return position;
            case PositionStatus.Closed:
                if (exitPrice is not { } price || exitFee is not { } fee || closedAt is not { } at
                    || exitReason is not { } reason || exitClientOrderId is null)
                {
                    throw new ArgumentException("a closed position has every exit field", nameof(status));
                }
                return position.Close(price, fee, at, reason, exitClientOrderId);
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "unknown status");
        }
    }

    /// <summary>Marks the open position to <paramref name="bid"/>, raising <see cref="HighestPrice"/> when the bid is a new high.</summary>
    public Position MarkTo(decimal bid)
    {
        EnsureOpen();
        Positive(bid, nameof(bid));
        return bid > HighestPrice ? this with { HighestPrice = bid } : this;
    }

    /// <summary>
    /// What closing now at <paramref name="bid"/> would realize under <paramref name="fills"/>: quantity × sell fill
    /// price − exit fee − (quantity × entry price + entry fee).
    /// </summary>
    public decimal UnrealizedPnl(decimal bid, PaperFillModel fills)
    {
        ArgumentNullException.ThrowIfNull(fills);
        EnsureOpen();
        var exit = fills.Sell(bid, Quantity);
        return exit.Notional - exit.Fee - EntryCost;
    }

    /// <summary>Closes the position at its exit fill. Only an open position can close, and not before it opened.</summary>
    public Position Close(decimal exitPrice, decimal exitFee, DateTimeOffset at, ExitReason reason, string exitClientOrderId)
    {
        EnsureOpen();
        Positive(exitPrice, nameof(exitPrice));
        NotNegative(exitFee, nameof(exitFee));
        Required(exitClientOrderId, nameof(exitClientOrderId));
        if (at < OpenedAt)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"a position cannot close before it opened ({OpenedAt:O})");
        }
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown exit reason");
        }
        return this with
        {
            Status = PositionStatus.Closed,
            ExitPrice = exitPrice,
            ExitFee = exitFee,
            ClosedAt = at,
            ExitReason = reason,
            ExitClientOrderId = exitClientOrderId,
        };
    }

    /// <summary>Closes the position with an exit <see cref="Fill"/> (its quantity must be the position's).</summary>
    public Position Close(Fill exit, DateTimeOffset at, ExitReason reason, string exitClientOrderId)
    {
        ArgumentNullException.ThrowIfNull(exit);
        if (exit.Quantity != Quantity)
        {
            throw new ArgumentException($"exit quantity {exit.Quantity} is not the position's {Quantity}", nameof(exit));
        }
        return Close(exit.Price, exit.Fee, at, reason, exitClientOrderId);
    }

    private void EnsureOpen()
    {
        if (Status != PositionStatus.Open)
        {
            throw new InvalidOperationException($"position {Id} is {Status}");
        }
    }

    private static void Required(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("is required", name);
        }
    }

    private static void Positive(decimal value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "must be greater than 0");
        }
    }

    private static void NotNegative(decimal value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "must not be negative");
        }
    }
}
