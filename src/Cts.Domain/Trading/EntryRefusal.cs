namespace Cts.Domain.Trading;

/// <summary>Why an entry was not allowed.</summary>
public enum EntryRefusal
{
    /// <summary>The engine is paused: positions are managed, none opened.</summary>
    Paused,
    /// <summary>This signal was already acted on (an order with its client order id exists).</summary>
    DuplicateSignal,
    /// <summary>The connection already holds RiskParameters.MaxOpenPositions open positions.</summary>
    MaxOpenPositions,
    /// <summary>The engine cannot persist (storage stalled or down): an intent that cannot be written first is never sent.</summary>
    StorageUnavailable,
}
