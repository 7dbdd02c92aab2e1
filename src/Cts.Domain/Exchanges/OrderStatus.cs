namespace Cts.Domain.Exchanges;

/// <summary>Where an order stands at the venue.</summary>
public enum OrderStatus
{
    /// <summary>Accepted and not yet executed. Paper market orders never stay here: they fill or are rejected at once.</summary>
    New,
    /// <summary>Executed in full; the balances have changed.</summary>
    Filled,
    /// <summary>Refused by the venue (see <see cref="OrderResult.RejectReason"/>); no balance changed, and the client order id stays taken.</summary>
    Rejected,
    /// <summary>Canceled before it executed.</summary>
    Canceled,
}
