using Cts.Domain.Audit;
using Cts.Domain.Exchanges;
using Cts.Domain.Trading;

namespace Cts.Functions.Engines;

/// <summary>
/// Closing positions outside the cycles: an operator's forced close, stop with <c>closePositions</c>, and the delete of
/// a connection whose engine still holds positions. All of them go through the run's <see cref="OrderExecutor"/>, the
/// exactly-once path every exit takes (intent journalled first, the exit's client order id derived from the entry's), so
/// a crash in the middle is reconciled like any other exit. An engine that is not running builds its trading side for it
/// (without timers).
/// </summary>
public sealed partial class EngineGrain
{
    public async Task<PositionCloseResult> ClosePosition(string positionId, string actor, string? correlationId)
    {
        await CompletePendingRecoveryAsync();
        // A stopped engine still owns its positions: build the trading side (without timers) to close one.
        if (_run is null && !await InitializeTradingAsync("close-position"))
        {
            return new PositionCloseResult(CloseOutcome.Rejected, null, state.State.LastError?.Message ?? "the engine cannot reach its exchange");
        }
        var trader = _run!.Context.Trader;
        if (trader.Book.Find(positionId) is not { } position)
        {
            return new PositionCloseResult(CloseOutcome.NotFound, null);
        }
        var closed = await trader.Orders.CloseAsync(position, ExitReason.Manual, CancellationToken.None);
        var from = Current;
        await RecordAsync(actor, "close-position", from, $"position {positionId}", closed is null ? AuditOutcomes.Refused : AuditOutcomes.Changed,
            correlationId, detail: closed is null ? "the exchange rejected the closing order" : null);
        return closed is null
            ? new PositionCloseResult(CloseOutcome.Rejected, null, "the exchange rejected the closing order")
            : new PositionCloseResult(CloseOutcome.Closed, PositionView.From(closed));
    }

    /// <summary>
    /// Closes every open position of the run at market with <paramref name="reason"/>, one exit order each. A position
    /// whose exit the venue rejects, or that cannot be sent now (venue or journal unreachable), stays open (its intent,
    /// if written, is reconciled later); the others are closed. Returns the positions closed.
    /// </summary>
    private async Task<IReadOnlyList<Position>> CloseOpenPositionsAsync(ExitReason reason)
    {
        var orders = _run!.Context.Trader.Orders;
        var closed = new List<Position>();
        foreach (var position in _run.Context.Trader.Book.OpenPositions.ToList())
        {
            try
            {
                if (await orders.CloseAsync(position, reason, CancellationToken.None) is { } done)
                {
                    closed.Add(done);
                }
            }
            catch (Exception e) when (e is ExchangeException or JournalUnavailableException)
            {
                LogCloseFailed(e, ConnectionId, position.Id);
            }
        }
        return closed;
    }

    /// <summary>
    /// Before the engine's record is deleted: the positions its trade journal still holds. None → clear. Some, and
    /// <paramref name="close"/> → each is closed through <see cref="CloseOpenPositionsAsync"/> (exit reason
    /// <c>connection-deleted</c>), and whatever could not be closed blocks the delete. Some, not asked to close → blocked,
    /// naming them. Orders not yet settled with the venue block as well: closing builds the trading side, which
    /// reconciles them first.
    /// </summary>
    private async Task<PositionRelease> ReleasePositionsAsync(bool close)
    {
        var (open, unsettled) = _run is { } run
            ? (run.Context.Trader.Book.OpenPositions.ToList(), run.Context.Trader.Book.PendingIntents.Count)
            : await JournalledPositionsAsync();
        if (open.Count == 0 && unsettled == 0)
        {
            return PositionRelease.Clear(null);
        }
        if (!close)
        {
            return PositionRelease.Block(open, unsettled, "close them first, or delete with closePositions=true");
        }
        if (_run is null && !await InitializeTradingAsync("delete"))
        {
            return PositionRelease.Block(open, unsettled,
                $"they could not be closed: {state.State.LastError?.Message ?? "the engine cannot reach its exchange"}");
        }
        var closed = await CloseOpenPositionsAsync(ExitReason.ConnectionDeleted);
        var book = _run!.Context.Trader.Book;
        if (book.OpenPositions.Count > 0 || book.PendingIntents.Count > 0)
        {
            return PositionRelease.Block(book.OpenPositions.ToList(), book.PendingIntents.Count,
                "the exchange did not close them; nothing was deleted, try again");
        }
        await FlushMarksAsync();
        return PositionRelease.Clear(closed.Count == 0 ? null : $"closed {PositionRelease.Describe(closed)} first");
    }

    private async Task<(List<Position> Open, int Unsettled)> JournalledPositionsAsync()
    {
        var snapshot = await runs.LoadTradingAsync(ConnectionId, CancellationToken.None);
        return (snapshot.OpenPositions.ToList(), snapshot.PendingIntents.Count);
    }

    /// <summary>Builds the trading side for an engine that is not running; false (state unchanged) when it cannot.</summary>
    private async Task<bool> InitializeTradingAsync(string purpose)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.CycleTimeoutSeconds));
            _run = Attach(await runs.BuildAsync(ConnectionId, timeout.Token));
            return true;
        }
        catch (Exception e) when (e is ExchangeException or InitializationException or OperationCanceledException or Azure.RequestFailedException)
        {
            LogInitializationFailed(e, ConnectionId, purpose);
            return false;
        }
    }

    /// <summary>Whether an engine's positions let its record go, and the text the audit and the 409 carry.</summary>
    private sealed record PositionRelease(bool Blocked, IReadOnlyList<Position> Open, string? Detail)
    {
        public static PositionRelease Clear(string? detail) => new(false, [], detail);

        public static PositionRelease Block(IReadOnlyList<Position> open, int unsettled, string what)
        {
            var parts = new List<string>();
            if (open.Count > 0)
            {
                parts.Add(Describe(open));
            }
            if (unsettled > 0)
            {
                parts.Add(unsettled == 1 ? "1 order not yet settled with the exchange" : $"{unsettled} orders not yet settled with the exchange");
            }
            return new(true, open, $"the engine holds {string.Join(" and ", parts)}: {what}");
        }

        public static string Describe(IReadOnlyCollection<Position> positions) =>
            (positions.Count == 1 ? "1 open position" : $"{positions.Count} open positions") + " ("
            + string.Join(", ", positions.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => $"{p.Id} {p.Symbol}")) + ")";
    }

    [LoggerMessage(LogLevel.Warning, "Engine {ConnectionId}: position {PositionId} could not be closed now")]
    private partial void LogCloseFailed(Exception exception, string connectionId, string positionId);
}
