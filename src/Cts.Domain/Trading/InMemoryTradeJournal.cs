namespace Cts.Domain.Trading;

/// <summary>
/// A journal kept in memory, for domain tests and the benchmark's exchange-free runs. Behaves like the stored one:
/// an intent id is taken once, completion updates intent, position and total together.
/// </summary>
public sealed class InMemoryTradeJournal : ITradeJournal
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OrderIntent> _intents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Position> _positions = new(StringComparer.Ordinal);
    private decimal _realized;

    public IReadOnlyList<OrderIntent> Intents
    {
        get { lock (_gate) { return _intents.Values.ToList(); } }
    }

    public IReadOnlyList<Position> Positions
    {
        get { lock (_gate) { return _positions.Values.ToList(); } }
    }

    public Task<TradingSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new TradingSnapshot(
                _positions.Values.Where(p => p.IsOpen).ToList(),
                _intents.Values.Where(i => i.Status == IntentStatus.Pending).ToList(),
                _intents.Keys.ToHashSet(StringComparer.Ordinal),
                _realized));
        }
    }

    public Task SaveIntentAsync(OrderIntent intent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_intents.TryAdd(intent.ClientOrderId, intent))
            {
                throw new InvalidOperationException($"intent {intent.ClientOrderId} exists");
            }
        }
        return Task.CompletedTask;
    }

    public Task CompleteAsync(OrderIntent settled, Position? position, decimal realizedPnlTotal, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _intents[settled.ClientOrderId] = settled;
            if (position is not null)
            {
                _positions[position.Id] = position;
            }
            _realized = realizedPnlTotal;
        }
        return Task.CompletedTask;
    }

    public Task SaveMarksAsync(IReadOnlyCollection<Position> positions, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var position in positions)
            {
                _positions[position.Id] = position;
            }
        }
        return Task.CompletedTask;
    }
}
