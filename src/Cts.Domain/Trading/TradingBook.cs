using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cts.Domain.Trading;

/// <summary>
/// An engine's trading state in memory, loaded from its journal: open positions, intents not yet settled, the
/// client order ids already used (so a signal is never acted on twice), and the realized PnL. Changed only by
/// <see cref="OrderExecutor"/> after the journal has recorded the change.
/// </summary>
public sealed class TradingBook
{
    private readonly Dictionary<string, Position> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrderIntent> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyMarks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrderIntent> _withdrawn = new(StringComparer.Ordinal);

    public TradingBook(TradingSnapshot snapshot)
    {
        foreach (var position in snapshot.OpenPositions)
        {
            _open[position.Id] = position;
        }
        foreach (var intent in snapshot.PendingIntents)
        {
            _pending[intent.ClientOrderId] = intent;
        }
        _known.UnionWith(snapshot.KnownClientOrderIds);
        RealizedPnl = snapshot.RealizedPnl;
    }

    public IReadOnlyCollection<Position> OpenPositions => _open.Values;

    /// <summary>The open positions with the dictionary's struct enumerator, for loops that run every cycle.</summary>
    internal Dictionary<string, Position>.ValueCollection OpenPositionList => _open.Values;

    /// <summary>True when a position in <paramref name="symbol"/> is open (no allocation: asked every cycle).</summary>
    public bool HasOpenPosition(string symbol)
    {
        foreach (var position in _open.Values)
        {
            if (position.Symbol == symbol)
            {
                return true;
            }
        }
        return false;
    }
    public IReadOnlyCollection<OrderIntent> PendingIntents => _pending.Values;
    public decimal RealizedPnl { get; private set; }

    /// <summary>Entries whose intent could not be written (so they were never sent), to be recorded as rejected once storage answers.</summary>
    public IReadOnlyCollection<OrderIntent> WithdrawnIntents => _withdrawn.Values;

    /// <summary>True when pending intents wait for the venue's answer or withdrawn ones for their record.</summary>
    public bool NeedsReconcile => _pending.Count > 0 || _withdrawn.Count > 0;

    /// <summary>Open positions plus opens in flight: what counts against <c>maxOpenPositions</c>.</summary>
    public int Exposure
    {
        get
        {
            var opening = 0;
            foreach (var intent in _pending.Values)
            {
                if (intent.Purpose == OrderPurpose.Open)
                {
                    opening++;
                }
            }
            return _open.Count + opening;
        }
    }

    public bool HasUsed(string clientOrderId) => _known.Contains(clientOrderId);

    /// <summary>True while a close of <paramref name="positionId"/> is in flight.</summary>
    public bool IsClosing(string positionId)
    {
        // A loop, not Any: asked by every realtime cycle of an engine holding a position (a delegate and a closure each time).
        foreach (var intent in _pending.Values)
        {
            if (intent.Purpose == OrderPurpose.Close && intent.PositionId == positionId)
            {
                return true;
            }
        }
        return false;
    }

    public Position? Find(string positionId) => _open.GetValueOrDefault(positionId);

    internal void Begin(OrderIntent intent)
    {
        _pending[intent.ClientOrderId] = intent;
        _known.Add(intent.ClientOrderId);
    }

    /// <summary>
    /// An entry whose intent write failed: never sent. Its id stays taken (the write may still land later, a timeout is
    /// not a refusal), and it is recorded as rejected when storage answers, so no recovery can send it.
    /// </summary>
    internal void Withdraw(OrderIntent intent)
    {
        _withdrawn[intent.ClientOrderId] = intent;
        _known.Add(intent.ClientOrderId);
    }

    /// <summary>
    /// A strategy's entry that was skipped before anything was written (<see cref="EntrySkippedException"/>): its id is
    /// taken, so the same signal is not tried again, and there is nothing to record.
    /// </summary>
    internal void Skip(OrderIntent intent) => _known.Add(intent.ClientOrderId);

    internal void WithdrawalRecorded(string clientOrderId) => _withdrawn.Remove(clientOrderId);

    /// <summary>Raised after a position was opened or closed and recorded (for the live event stream).</summary>
    public event Action<Position>? PositionSettled;

    internal void Settle(OrderIntent intent, Position? position, decimal realizedPnl)
    {
        _pending.Remove(intent.ClientOrderId);
        RealizedPnl = realizedPnl;
        if (position is not null)
        {
            if (position.IsOpen)
            {
                _open[position.Id] = position;
            }
            else
            {
                _open.Remove(position.Id);
                _dirtyMarks.Remove(position.Id);
            }
            PositionSettled?.Invoke(position);
        }
    }

    /// <summary>Marks a position to the bid; remembers it for the next batched mark flush when its high moved.</summary>
    public Position Mark(Position position, decimal bid)
    {
        var marked = position.MarkTo(bid);
        if (marked.HighestPrice != position.HighestPrice)
        {
            _dirtyMarks.Add(marked.Id);
        }
        // In place, through the entry's ref: the realtime cycle marks positions while it reads the book's open ones.
        ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_open, marked.Id);
        if (Unsafe.IsNullRef(ref slot))
        {
            _open[marked.Id] = marked;
        }
        else
        {
            slot = marked;
        }
        return marked;
    }

    /// <summary>The positions whose marks changed since the last call.</summary>
    public IReadOnlyCollection<Position> TakeDirtyMarks()
    {
        var dirty = _dirtyMarks.Where(_open.ContainsKey).Select(id => _open[id]).ToList();
        _dirtyMarks.Clear();
        return dirty;
    }
}
