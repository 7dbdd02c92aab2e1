namespace Cts.Functions.Storage;

/// <summary>
/// Marks the storage requests made within a scope as deferrable: in their lane's <see cref="InFlightLimit"/> they wait
/// behind every request not so marked. A new entry's intent is deferrable — a missed entry costs an opportunity — while
/// what settles, exits or reconciles an order, or starts or recovers an engine, is not, so in a trade wave those are
/// served first. The mark flows with the async call (<see cref="AsyncLocal{T}"/>) into the storage client's pipeline.
/// </summary>
public static class StorageUrgency
{
    private static readonly AsyncLocal<bool> Marked = new();

    /// <summary>Whether the current call's requests are deferrable.</summary>
    public static bool IsDeferrable => Marked.Value;

    /// <summary>
    /// Requests until the scope is disposed are deferrable, when <paramref name="deferrable"/> (else the scope changes
    /// nothing): <c>using (StorageUrgency.Deferrable()) { … }</c>.
    /// </summary>
    public static Scope Deferrable(bool deferrable = true)
    {
        var outer = Marked.Value;
        Marked.Value = outer || deferrable;
        return new Scope(outer);
    }

    /// <summary>Restores the mark as it was before <see cref="Deferrable"/> when disposed.</summary>
    public readonly struct Scope(bool outer) : IDisposable
    {
        public void Dispose() => Marked.Value = outer;
    }
}
