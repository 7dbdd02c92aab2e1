namespace Cts.Domain.Exchanges;

/// <summary>
/// An <see cref="IPaperLedger"/> in memory, for tests and benchmarks: one lock around the orders and balances makes
/// every call atomic. Nothing survives the instance.
/// </summary>
/// <param name="balances">Balances to start from instead of the starting ones (a backtest resumed from its checkpoint).</param>
public sealed class InMemoryPaperLedger(decimal startingQuoteBalance = PaperLedger.DefaultStartingQuoteBalance,
    IReadOnlyDictionary<string, decimal>? balances = null) : IPaperLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OrderResult> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _balances = balances is null
        ? new(StringComparer.Ordinal)
        : new(balances, StringComparer.Ordinal);

    public decimal StartingQuoteBalance { get; } = startingQuoteBalance;

    /// <summary>How many orders are stored (filled and rejected).</summary>
    public int OrderCount
    {
        get
        {
            lock (_gate)
            {
                return _orders.Count;
            }
        }
    }

    /// <summary>Every balance that has changed from its starting value, by asset.</summary>
    public IReadOnlyDictionary<string, decimal> Balances
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, decimal>(_balances, StringComparer.Ordinal);
            }
        }
    }

    public Task<OrderResult?> FindAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientOrderId);
        lock (_gate)
        {
            return Task.FromResult(_orders.GetValueOrDefault(clientOrderId));
        }
    }

    public Task<OrderResult> RecordAsync(OrderResult order, decimal quoteDelta, IReadOnlyDictionary<string, decimal> baseDeltas,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentException.ThrowIfNullOrEmpty(order.ClientOrderId);
        var deltas = PaperLedger.Deltas(quoteDelta, baseDeltas);
        lock (_gate)
        {
            if (_orders.TryGetValue(order.ClientOrderId, out var existing))
            {
                return Task.FromResult(existing);
            }
            foreach (var (asset, delta) in deltas)
            {
                var free = Balance(asset);
                if (delta < 0 && free + delta < 0)
                {
                    throw new InsufficientBalanceException(asset, free, delta);
                }
            }
            foreach (var (asset, delta) in deltas)
            {
                _balances[asset] = Balance(asset) + delta;
            }
            _orders.Add(order.ClientOrderId, order);
            return Task.FromResult(order);
        }
    }

    public Task<decimal> BalanceAsync(string asset, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(asset);
        lock (_gate)
        {
            return Task.FromResult(Balance(asset));
        }
    }

    private decimal Balance(string asset) =>
        _balances.TryGetValue(asset, out var free) ? free : PaperLedger.StartingBalance(asset, StartingQuoteBalance);
}
