namespace Cts.Domain.Trading;

/// <summary>Whether an entry may go ahead; when not, which rule refused it and why in words (for the audit trail).</summary>
public sealed record EntryDecision(bool Allowed, EntryRefusal? Refusal, string Reason)
{
    public static EntryDecision Allow() => new(true, null, "allowed");

    public static EntryDecision Refuse(EntryRefusal refusal, string reason) => new(false, refusal, reason);
}
