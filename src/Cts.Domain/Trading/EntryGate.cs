namespace Cts.Domain.Trading;

/// <summary>
/// The last check before an entry order: the engine must not be paused, must not have acted on this signal already,
/// and must stay within its open-position limit.
/// </summary>
/// <remarks>
/// Checked in that order, so the reason reported is the most fundamental one: a paused engine says "paused" even
/// when it is also full.
/// </remarks>
public static class EntryGate
{
    public static EntryDecision CanOpen(int openPositions, RiskParameters risk, bool entriesPaused, bool alreadyActedOnSignal)
    {
        ArgumentNullException.ThrowIfNull(risk);
        ArgumentOutOfRangeException.ThrowIfNegative(openPositions);
        if (entriesPaused)
        {
            return EntryDecision.Refuse(EntryRefusal.Paused, "entries are paused");
        }
        if (alreadyActedOnSignal)
        {
            return EntryDecision.Refuse(EntryRefusal.DuplicateSignal, "this signal was already acted on");
        }
        if (openPositions >= risk.MaxOpenPositions)
        {
            return EntryDecision.Refuse(EntryRefusal.MaxOpenPositions,
                $"{openPositions} open positions, at most {risk.MaxOpenPositions} allowed");
        }
        return EntryDecision.Allow();
    }

    /// <summary>
    /// The check before an entry an operator forced: it is allowed while Paused (the operator decided), but never
    /// beyond the open-position limit, and never while the engine cannot persist (its intent must be written first).
    /// </summary>
    public static EntryDecision CanForceOpen(int openPositions, RiskParameters risk, bool canPersist)
    {
        ArgumentNullException.ThrowIfNull(risk);
        ArgumentOutOfRangeException.ThrowIfNegative(openPositions);
        if (!canPersist)
        {
            return EntryDecision.Refuse(EntryRefusal.StorageUnavailable, "the engine cannot persist its state now; no position is opened until it can");
        }
        if (openPositions >= risk.MaxOpenPositions)
        {
            return EntryDecision.Refuse(EntryRefusal.MaxOpenPositions,
                $"{openPositions} open positions, at most {risk.MaxOpenPositions} allowed");
        }
        return EntryDecision.Allow();
    }
}
