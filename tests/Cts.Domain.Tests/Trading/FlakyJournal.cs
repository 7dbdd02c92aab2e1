using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

/// <summary>
/// The in-memory journal, except that intent writes fail while <see cref="IntentsDown"/> and settlements while
/// <see cref="CompletionsDown"/>, as storage that is down or too slow; counts the settlements it was asked for.
/// </summary>
public sealed class FlakyJournal : ITradeJournal
{
    public InMemoryTradeJournal Inner { get; } = new();
    public bool IntentsDown { get; set; }
    public bool CompletionsDown { get; set; }
    public int Completions { get; private set; }

    /// <summary>Every write fails (or none does).</summary>
    public bool Down
    {
        set => (IntentsDown, CompletionsDown) = (value, value);
    }

    public Task<TradingSnapshot> LoadAsync(CancellationToken cancellationToken) => Inner.LoadAsync(cancellationToken);

    /// <summary>Intent writes are refused unsent (the node's queue for storage stayed full), as in a trade wave.</summary>
    public bool IntentsBusy { get; set; }

    public Task SaveIntentAsync(OrderIntent intent, CancellationToken cancellationToken) =>
        IntentsBusy ? throw new JournalBusyException("the trade journal's storage lane did not take the intent within 2 s", new OperationCanceledException())
        : IntentsDown ? throw Unavailable() : Inner.SaveIntentAsync(intent, cancellationToken);

    public Task CompleteAsync(OrderIntent settled, Position? position, decimal realizedPnlTotal, CancellationToken cancellationToken)
    {
        Completions++;
        return CompletionsDown ? throw Unavailable() : Inner.CompleteAsync(settled, position, realizedPnlTotal, cancellationToken);
    }

    public Task SaveMarksAsync(IReadOnlyCollection<Position> positions, CancellationToken cancellationToken) =>
        Inner.SaveMarksAsync(positions, cancellationToken);

    private static JournalUnavailableException Unavailable() =>
        new("the trade journal did not record the intent within 2 s", new TimeoutException());
}
