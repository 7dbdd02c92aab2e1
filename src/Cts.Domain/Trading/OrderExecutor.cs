using Cts.Domain.Exchanges;

namespace Cts.Domain.Trading;

/// <summary>
/// Sends orders exactly once: every order is written to the journal as an intent (with its deterministic client
/// order id) before it is sent, and recorded with its position after. If the process dies in between, the intent
/// is still pending on the next activation and <see cref="ReconcileAsync"/> asks the venue by client order id:
/// filled → the position is recorded; unknown → re-sent with the same id (the venue deduplicates); rejected → marked.
/// </summary>
public sealed class OrderExecutor(string connectionId, IExchange exchange, ITradeJournal journal, TradingBook book, TimeProvider time)
{
    /// <summary>
    /// Opens a position for an entry signal; null when the venue rejected the order. Throws
    /// <see cref="OrderNotSentException"/> (after recording the rejection) when the adapter refused to send it, and
    /// <see cref="EntrySkippedException"/> when its intent could not be queued for storage in time (the signal is then
    /// passed over).
    /// </summary>
    public async Task<Position?> OpenAsync(string symbol, DateTimeOffset signalTime, decimal quoteAmount, CancellationToken cancellationToken)
    {
        var intent = OrderIntent.Open(connectionId, symbol, signalTime, quoteAmount, time.GetUtcNow());
        try
        {
            return (await SendAsync(intent, cancellationToken).ConfigureAwait(false)).Position;
        }
        catch (EntrySkippedException)
        {
            // The signal is passed over: the next cycle does not try it again.
            book.Skip(intent);
            throw;
        }
    }

    /// <summary>
    /// Opens a position an operator forced, through the same journal and executor as a strategy's entry. Its client
    /// order id comes from the request (<see cref="ClientOrderId.ForOperatorEntry"/>), so a retried request finds the
    /// order it already made (<see cref="OperatorEntryOutcome.AlreadyMade"/>) instead of buying again. The free balance
    /// of the symbol's quote asset is checked first (when the asset is known); the venue's own check stays the last word.
    /// The caller has checked the <see cref="EntryGate"/>.
    /// </summary>
    public async Task<OperatorEntry> OpenForOperatorAsync(string symbol, string requestKey, decimal quoteAmount, CancellationToken cancellationToken)
    {
        var intent = OrderIntent.OperatorOpen(connectionId, symbol, requestKey, quoteAmount, time.GetUtcNow());
        if (book.HasUsed(intent.ClientOrderId))
        {
            return new OperatorEntry(OperatorEntryOutcome.AlreadyMade, intent.ClientOrderId, book.Find(intent.PositionId), null);
        }
        if (Exchanges.SymbolAssets.QuoteOf(symbol) is { } asset)
        {
            var balance = await exchange.GetBalanceAsync(asset, cancellationToken).ConfigureAwait(false);
            if (balance.Free < quoteAmount)
            {
                return new OperatorEntry(OperatorEntryOutcome.InsufficientBalance, intent.ClientOrderId, null,
                    $"insufficient {asset} balance: {balance.Free} free, {quoteAmount} asked");
            }
        }
        var (position, settled) = await SendAsync(intent, cancellationToken).ConfigureAwait(false);
        return position is not null
            ? new OperatorEntry(OperatorEntryOutcome.Opened, intent.ClientOrderId, position, null)
            : new OperatorEntry(OperatorEntryOutcome.Rejected, intent.ClientOrderId, null, settled.RejectReason ?? "the venue rejected the order");
    }

    /// <summary>Closes an open position at market; null when the venue rejected the order.</summary>
    public async Task<Position?> CloseAsync(Position position, ExitReason reason, CancellationToken cancellationToken)
    {
        var intent = OrderIntent.Close(position, reason, time.GetUtcNow());
        return (await SendAsync(intent, cancellationToken).ConfigureAwait(false)).Position;
    }

    /// <summary>The reason recorded on an entry whose intent could not be written, and which was therefore never sent.</summary>
    public const string WithdrawnReason = "withdrawn: its intent could not be recorded, so it was never sent";

    /// <summary>When the cycles may next try <see cref="ReconcileAsync"/> after it failed.</summary>
    public ReconcileBackoff Backoff { get; } = new(connectionId);

    /// <summary>
    /// What a cycle calls: <see cref="ReconcileAsync"/> when there is something to settle and the <see cref="Backoff"/>
    /// allows it (0 otherwise). A failure is rethrown, for the cycle's health, and pushes the next try back.
    /// </summary>
    public async Task<int> ReconcileIfDueAsync(CancellationToken cancellationToken)
    {
        if (!book.NeedsReconcile || !Backoff.IsDue(time.GetUtcNow()))
        {
            return 0;
        }
        try
        {
            var settled = await ReconcileAsync(cancellationToken).ConfigureAwait(false);
            Backoff.Succeeded();
            return settled;
        }
        catch
        {
            Backoff.Failed(time.GetUtcNow());
            throw;
        }
    }

    /// <summary>
    /// Records withdrawn entries as rejected, then settles every pending intent with the venue; returns how many
    /// pending intents were settled.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        foreach (var withdrawn in book.WithdrawnIntents.ToList())
        {
            var rejected = withdrawn with { Status = IntentStatus.Rejected, RejectReason = WithdrawnReason };
            await journal.CompleteAsync(rejected, null, book.RealizedPnl, cancellationToken).ConfigureAwait(false);
            book.WithdrawalRecorded(withdrawn.ClientOrderId);
        }
        var settled = 0;
        foreach (var intent in book.PendingIntents.ToList())
        {
            var result = await exchange.GetOrderAsync(intent.Symbol, intent.ClientOrderId, cancellationToken).ConfigureAwait(false)
                ?? await exchange.PlaceOrderAsync(RequestFor(intent), cancellationToken).ConfigureAwait(false);
            if (result.Status is OrderStatus.Filled or OrderStatus.Rejected or OrderStatus.Canceled)
            {
                await RecordAsync(intent, result, cancellationToken).ConfigureAwait(false);
                settled++;
            }
        }
        return settled;
    }

    private async Task<(Position? Position, OrderIntent Settled)> SendAsync(OrderIntent intent, CancellationToken cancellationToken)
    {
        try
        {
            await journal.SaveIntentAsync(intent, cancellationToken).ConfigureAwait(false);
        }
        catch (JournalBusyException busy) when (intent.Purpose == OrderPurpose.Open)
        {
            // Dropped unsent in the node's queue: nothing reached storage, so there is nothing to withdraw.
            throw new EntrySkippedException(intent.Symbol, intent.ClientOrderId, busy.Message, busy);
        }
        catch (JournalUnavailableException) when (intent.Purpose == OrderPurpose.Close)
        {
            // Protecting capital comes first: an exit goes out even when its intent cannot be written. Its id is
            // derived from the entry's, so if it must be sent again after recovery the venue deduplicates it.
        }
        catch (JournalUnavailableException) when (intent.Purpose == OrderPurpose.Open)
        {
            // Not written, so not sent. The write may still land (a timeout is not a refusal): withdrawn, it is recorded
            // as rejected once storage answers, so neither this activation nor a recovery sends it.
            book.Withdraw(intent);
            throw;
        }
        book.Begin(intent);
        // From here a failure leaves the intent pending; the next cycle or activation reconciles it.
        var result = await exchange.PlaceOrderAsync(RequestFor(intent), cancellationToken).ConfigureAwait(false);
        (Position? Position, OrderIntent Settled) recorded;
        try
        {
            recorded = await RecordAsync(intent, result, cancellationToken).ConfigureAwait(false);
        }
        catch (JournalUnavailableException) when (intent.Purpose == OrderPurpose.Close)
        {
            // The exit is done at the venue; it stays pending here and is recorded when storage returns.
            return (null, intent);
        }
        if (!result.Sent)
        {
            // Recorded as rejected (never acted on again); raised so the cycle's health and the audit say why.
            throw new OrderNotSentException(intent.ClientOrderId, intent.Symbol, result.RejectReason ?? "not sent");
        }
        return recorded;
    }

    private async Task<(Position? Position, OrderIntent Settled)> RecordAsync(OrderIntent intent, OrderResult result, CancellationToken cancellationToken)
    {
        var fill = result.ToFill();
        if (fill is null)
        {
            var rejected = intent with { Status = IntentStatus.Rejected, RejectReason = result.RejectReason ?? result.Status.ToString() };
            await journal.CompleteAsync(rejected, null, book.RealizedPnl, cancellationToken).ConfigureAwait(false);
            book.Settle(rejected, null, book.RealizedPnl);
            return (null, rejected);
        }
        var filled = intent with { Status = IntentStatus.Filled };
        Position position;
        var realized = book.RealizedPnl;
        if (intent.Purpose == OrderPurpose.Open)
        {
            position = Position.Open(intent.PositionId, connectionId, intent.Symbol, fill, result.At, intent.ClientOrderId);
        }
        else
        {
            var open = book.Find(intent.PositionId)
                ?? throw new InvalidOperationException($"close {intent.ClientOrderId} filled for position {intent.PositionId}, which is not open");
            position = open.Close(fill, result.At, intent.ExitReason ?? ExitReason.Manual, intent.ClientOrderId);
            realized += position.RealizedPnl!.Value;
        }
        await journal.CompleteAsync(filled, position, realized, cancellationToken).ConfigureAwait(false);
        book.Settle(filled, position, realized);
        return (position, filled);
    }

    private static OrderRequest RequestFor(OrderIntent intent) => intent.Side == OrderSide.Buy
        ? OrderRequest.Buy(intent.ClientOrderId, intent.Symbol, intent.QuoteAmount!.Value)
        : OrderRequest.Sell(intent.ClientOrderId, intent.Symbol, intent.Quantity!.Value);
}
