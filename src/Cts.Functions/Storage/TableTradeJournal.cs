using Azure;
using Azure.Data.Tables;
using Cts.Domain.Trading;

namespace Cts.Functions.Storage;

/// <summary>
/// An engine's trade journal on Azure Tables, one partition per connection, so settling an intent, writing its
/// position and the PnL total is one atomic entity-group transaction. Only the engine writes its partition.
/// </summary>
/// <remarks>
/// An intent is written on the cycle path before its order is sent, and settled on it after the order's answer, so
/// both writes are bounded by <paramref name="intentWriteTimeout"/> (default <see cref="DefaultIntentWriteTimeout"/>),
/// which includes the time a write waits for its storage lane (<see cref="InFlightLimit"/>): past it the write counts
/// as failed (<see cref="JournalUnavailableException"/>) and a storage stall or a trade wave costs a cycle seconds
/// rather than as long as it lasts. A write that never left the lane's queue is <see cref="JournalBusyException"/>:
/// storage never saw it, so an entry it refused is skipped, with nothing to withdraw. An intent not written is not
/// sent; an order whose settlement was not written stays pending, and the engine's reconciliation settles it from the
/// venue's answer (the settlement is an upsert, so one that did land is written again unchanged).
/// </remarks>
public sealed class TableTradeJournal(CtsTables tables, string connectionId, TimeSpan? intentWriteTimeout = null) : ITradeJournal
{
    private const int MaxBatch = 100;

    public static readonly TimeSpan DefaultIntentWriteTimeout = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _intentWriteTimeout = intentWriteTimeout ?? DefaultIntentWriteTimeout;

    public Task<TradingSnapshot> LoadAsync(CancellationToken cancellationToken) => Guard(() => LoadCoreAsync(cancellationToken));

    public Task SaveIntentAsync(OrderIntent intent, CancellationToken cancellationToken) =>
        BoundedAsync("the intent", token => SaveIntentCoreAsync(intent, token), cancellationToken);

    public Task CompleteAsync(OrderIntent settled, Position? position, decimal realizedPnlTotal, CancellationToken cancellationToken) =>
        BoundedAsync("the settlement of " + settled.ClientOrderId, token => CompleteCoreAsync(settled, position, realizedPnlTotal, token),
            cancellationToken);

    /// <summary>A cycle-path write, given up after the write timeout (<see cref="JournalUnavailableException"/>).</summary>
    private async Task BoundedAsync(string what, Func<CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_intentWriteTimeout);
        try
        {
            await Guard(() => write(timeout.Token));
        }
        catch (StorageRequestDroppedException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JournalBusyException(
                $"the trade journal's storage lane did not take {what} within {_intentWriteTimeout.TotalSeconds:0.#} s (a trade wave); nothing was written", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JournalUnavailableException(
                $"the trade journal did not record {what} within {_intentWriteTimeout.TotalSeconds:0.#} s", e);
        }
    }

    public Task SaveMarksAsync(IReadOnlyCollection<Position> positions, CancellationToken cancellationToken) =>
        Guard(() => SaveMarksCoreAsync(positions, cancellationToken));

    /// <summary>Storage faults (after the SDK's own retries) become <see cref="JournalUnavailableException"/>, which the engine understands.</summary>
    private static async Task Guard(Func<Task> write) => await Guard(async () => { await write(); return true; });

    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e))
        {
            throw new JournalUnavailableException("the trade journal cannot be reached: " + e.Message, e);
        }
    }

    /// <summary>
    /// The engine's trading state in one partition query (a start or recovery of thousands of engines pays one
    /// request each, not three): open positions, every intent (ids for deduplication, pending ones in full) and the
    /// realized-PnL summary.
    /// </summary>
    private async Task<TradingSnapshot> LoadCoreAsync(CancellationToken cancellationToken)
    {
        // A start or recovery, not the trade path: on the control lane, so it does not wait behind a trade wave.
        var table = await tables.GetAsync(TradingEntities.TableName, StorageLane.Control, cancellationToken);
        var partition = TableClient.CreateQueryFilter($"PartitionKey eq {connectionId}");
        var summaryRow = TableClient.CreateQueryFilter($"RowKey eq {TradingEntities.SummaryKey}");
        var filter = $"{partition} and (({TradingEntities.PrefixFilter(TradingEntities.PositionPrefix)} and Status eq 'Open')"
            + $" or {TradingEntities.PrefixFilter(TradingEntities.IntentPrefix)} or {summaryRow})";
        var open = new List<Position>();
        var pending = new List<OrderIntent>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        var realized = 0m;
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == TradingEntities.SummaryKey)
            {
                realized = TradingEntities.Money(e, "RealizedPnl") ?? 0m;
            }
            else if (e.RowKey.StartsWith(TradingEntities.IntentPrefix, StringComparison.Ordinal))
            {
                known.Add(e.RowKey[TradingEntities.IntentPrefix.Length..]);
                if (e.GetString("Status") == nameof(IntentStatus.Pending))
                {
                    pending.Add(TradingEntities.ToIntent(e));
                }
            }
            else
            {
                open.Add(TradingEntities.ToPosition(e));
            }
        }
        return new TradingSnapshot(open, pending, known, realized);
    }

    /// <summary>
    /// An insert, so an intent already journalled under the same client order id is refused (the order it stands for
    /// may have been sent). "Entity already exists" is also the answer to an insert that landed but whose answer was lost
    /// and that the storage client sent again; when the stored row is this very intent, it is written.
    /// </summary>
    private async Task SaveIntentCoreAsync(OrderIntent intent, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TradingEntities.TableName, cancellationToken);
        var entity = TradingEntities.ToEntity(connectionId, intent);
        // A new entry may wait behind every other trade request (settlements, exits, reconciliations); an exit may not.
        using var urgency = StorageUrgency.Deferrable(intent.Purpose == OrderPurpose.Open);
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (StorageFaults.IsAlreadyExists(e))
        {
            var stored = await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
            if (!stored.HasValue || TradingEntities.ToIntent(stored.Value!) != intent)
            {
                throw;
            }
        }
    }

    private async Task CompleteCoreAsync(OrderIntent settled, Position? position, decimal realizedPnlTotal, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TradingEntities.TableName, cancellationToken);
        var actions = new List<TableTransactionAction>
        {
            // Upsert: an exit sent during a storage outage settles an intent that was never written.
            new(TableTransactionActionType.UpsertReplace, TradingEntities.ToEntity(connectionId, settled)),
            new(TableTransactionActionType.UpsertReplace, TradingEntities.Summary(connectionId, realizedPnlTotal)),
        };
        if (position is not null)
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, TradingEntities.ToEntity(position)));
        }
        await table.SubmitTransactionAsync(actions, cancellationToken);
    }

    private async Task SaveMarksCoreAsync(IReadOnlyCollection<Position> positions, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TradingEntities.TableName, cancellationToken);
        foreach (var chunk in positions.Chunk(MaxBatch))
        {
            await table.SubmitTransactionAsync(chunk.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertMerge,
                new TableEntity(connectionId, TradingEntities.PositionPrefix + p.Id) { ["HighestPrice"] = TradingEntities.Money(p.HighestPrice) })),
                cancellationToken);
        }
    }
}
