namespace Cts.Domain.Trading;

/// <summary>How an operator's forced entry went at the executor.</summary>
public enum OperatorEntryOutcome
{
    /// <summary>The venue filled it; the position is open and recorded.</summary>
    Opened,
    /// <summary>This request was made before (same client order id): nothing was sent; the position is its open one, if still open.</summary>
    AlreadyMade,
    /// <summary>The free balance does not cover the amount: nothing was written or sent.</summary>
    InsufficientBalance,
    /// <summary>The venue refused the order; the intent is recorded as rejected.</summary>
    Rejected,
}

/// <param name="ClientOrderId">The entry's client order id, which is also the position's id.</param>
/// <param name="Position">The open position (Opened, or AlreadyMade while it is still open).</param>
/// <param name="Reason">Why not, in words (InsufficientBalance, Rejected).</param>
public sealed record OperatorEntry(OperatorEntryOutcome Outcome, string ClientOrderId, Position? Position, string? Reason);
