using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Cts.Domain.Exchanges;
using Cts.Domain.Trading;

namespace Cts.Functions.Storage;

/// <summary>
/// The paper venue's books of one connection on Azure Tables (logical table <c>paperledger</c>, partition = connection
/// id): a row <c>order-{clientOrderId}</c> per order and a row <c>balance-{asset}</c> per asset that has moved.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="RecordAsync"/> submits ONE entity-group transaction that adds the order row (an add, so a second order
/// with the same id fails) and replaces each balance row it changes under the ETag it was last read or written with
/// (or adds it, when the asset has no row yet). So the order and its balance changes are stored together or not at
/// all, and a concurrent writer, in this process or another, makes the transaction fail rather than lose an update.
/// On such a conflict (409/412) the order row is read back: if it now exists, that order is returned (idempotency
/// under races); otherwise the attempt is repeated with fresh balances, after a short jittered backoff, up to
/// <see cref="MaxAttempts"/> times, then an <see cref="ExchangeException"/> (transient) is thrown.
/// </para>
/// <para>
/// The ledger keeps each balance row it has read or written, with its ETag, so an order of a connection that trades
/// from one engine costs one request (the transaction), not four (an order lookup, two balance reads and the
/// transaction): at 10,000 engines signalling in the same cycle that was 40,000 requests at once. What it keeps is
/// only a guess the ETag checks: a row another writer moved fails the transaction, and is read again. After a write
/// whose outcome is unknown (a timeout, a dropped connection) nothing is kept, and the next order reads afresh.
/// </para>
/// <para>
/// Decimals are stored as invariant strings (Table storage has no decimal type, and double would not be exact).
/// </para>
/// </remarks>
public sealed class TablePaperLedger : IPaperLedger
{
    public const string TableName = "paperledger";
    public const int MaxAttempts = 20;

    private const string OrderPrefix = "order-";
    private const string BalancePrefix = "balance-";

    /// <summary>The first row key after every <see cref="BalancePrefix"/> key ('.' follows '-').</summary>
    private const string BalanceEnd = "balance.";

    private readonly CtsTables _tables;

    /// <summary>Balance rows as last read or written: the free amount and the row's ETag (null: no row exists).</summary>
    private readonly Dictionary<string, (decimal Free, ETag? ETag)> _known = new(StringComparer.Ordinal);
    private readonly string _partition;
    private readonly decimal _startingQuoteBalance;

    public TablePaperLedger(CtsTables tables, string connectionId, decimal startingQuoteBalance = PaperLedger.DefaultStartingQuoteBalance)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _tables = tables;
        _partition = ValidKey(connectionId, nameof(connectionId));
        _startingQuoteBalance = startingQuoteBalance;
    }

    public string ConnectionId => _partition;

    public decimal StartingQuoteBalance => _startingQuoteBalance;

    public async Task<OrderResult?> FindAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        var rowKey = OrderPrefix + ValidKey(clientOrderId, nameof(clientOrderId));
        var table = await _tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(_partition, rowKey, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? ToOrder(response.Value!) : null;
    }

    public async Task<decimal> BalanceAsync(string asset, CancellationToken cancellationToken)
    {
        var rowKey = BalancePrefix + ValidKey(asset, nameof(asset));
        var table = await _tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(_partition, rowKey, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return Remember(asset, response).Free;
    }

    public async Task<OrderResult> RecordAsync(OrderResult order, decimal quoteDelta, IReadOnlyDictionary<string, decimal> baseDeltas,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ValidKey(order.ClientOrderId, nameof(order));
        var deltas = PaperLedger.Deltas(quoteDelta, baseDeltas);
        foreach (var (asset, _) in deltas)
        {
            ValidKey(asset, nameof(baseDeltas));
        }
        var table = await _tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);

        for (var attempt = 1; ; attempt++)
        {
            var balances = await BalancesAsync(table, deltas, cancellationToken).ConfigureAwait(false);

            var actions = new List<TableTransactionAction>(deltas.Count + 1)
            {
                new(TableTransactionActionType.Add, ToEntity(order)),
            };
            for (var i = 0; i < deltas.Count; i++)
            {
                var (asset, delta) = deltas[i];
                var (free, etag) = balances[i];
                if (delta < 0 && free + delta < 0)
                {
                    // The order may have been stored (with its own balance change) since: then it is the answer.
                    return await FindAsync(order.ClientOrderId, cancellationToken).ConfigureAwait(false)
                        ?? throw new InsufficientBalanceException(asset, free, delta);
                }
                var entity = new TableEntity(_partition, BalancePrefix + asset)
                {
                    ["Asset"] = asset,
                    ["Free"] = Format(free + delta),
                };
                actions.Add(etag is { } current
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, current)
                    : new TableTransactionAction(TableTransactionActionType.Add, entity));
            }

            Response<IReadOnlyList<Response>> answer;
            try
            {
                answer = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // The order row exists (someone recorded this id) or a balance row moved under us: read them again.
                Forget(deltas);
                if (await FindAsync(order.ClientOrderId, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return existing;
                }
                if (attempt >= MaxAttempts)
                {
                    throw new ExchangeException(ExchangeFaultKind.Transient,
                        $"paper ledger of '{_partition}': order '{order.ClientOrderId}' not recorded after {attempt} attempts (balance contention)", e);
                }
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch
            {
                Forget(deltas); // the transaction may or may not have landed
                throw;
            }
            for (var i = 0; i < deltas.Count; i++)
            {
                var (asset, delta) = deltas[i];
                Remember(asset, balances[i].Free + delta, answer.Value.Count > i + 1 ? answer.Value[i + 1].Headers.ETag : null);
            }
            return order;
        }
    }

    /// <summary>
    /// The free amount and ETag of each asset in <paramref name="deltas"/>: as kept, or, when one is not, every balance
    /// row of the connection read in one query (a connection has a row per asset it traded: a handful).
    /// </summary>
    private async Task<(decimal Free, ETag? ETag)[]> BalancesAsync(TableClient table, IReadOnlyList<KeyValuePair<string, decimal>> deltas,
        CancellationToken cancellationToken)
    {
        var balances = new (decimal Free, ETag? ETag)[deltas.Count];
        if (TryKept(deltas, balances))
        {
            return balances;
        }
        var found = new Dictionary<string, (decimal Free, ETag? ETag)>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {_partition} and RowKey ge {BalancePrefix} and RowKey lt {BalanceEnd}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found[row.RowKey[BalancePrefix.Length..]] = (Free(row), row.ETag);
        }
        for (var i = 0; i < deltas.Count; i++)
        {
            var asset = deltas[i].Key;
            balances[i] = found.TryGetValue(asset, out var stored)
                ? Remember(asset, stored.Free, stored.ETag)
                : Remember(asset, PaperLedger.StartingBalance(asset, _startingQuoteBalance), null, exists: false);
        }
        return balances;
    }

    private bool TryKept(IReadOnlyList<KeyValuePair<string, decimal>> deltas, (decimal Free, ETag? ETag)[] balances)
    {
        lock (_known)
        {
            for (var i = 0; i < deltas.Count; i++)
            {
                if (!_known.TryGetValue(deltas[i].Key, out balances[i]))
                {
                    return false;
                }
            }
            return true;
        }
    }

    private (decimal Free, ETag? ETag) Remember(string asset, NullableResponse<TableEntity> row) => row.HasValue
        ? Remember(asset, Free(row.Value!), row.Value!.ETag)
        : Remember(asset, PaperLedger.StartingBalance(asset, _startingQuoteBalance), null, exists: false);

    /// <summary>Keeps a balance row's amount and ETag; a row written without an ETag in the answer is forgotten instead.</summary>
    private (decimal Free, ETag? ETag) Remember(string asset, decimal free, ETag? etag, bool exists = true)
    {
        lock (_known)
        {
            if (exists && etag is null)
            {
                _known.Remove(asset);
            }
            else
            {
                _known[asset] = (free, etag);
            }
        }
        return (free, etag);
    }

    private void Forget(IReadOnlyList<KeyValuePair<string, decimal>> deltas)
    {
        lock (_known)
        {
            foreach (var (asset, _) in deltas)
            {
                _known.Remove(asset);
            }
        }
    }

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + (int)Math.Min(500, 5 * Math.Pow(2, attempt))));

    private TableEntity ToEntity(OrderResult order)
    {
        var entity = new TableEntity(_partition, OrderPrefix + order.ClientOrderId)
        {
            ["ClientOrderId"] = order.ClientOrderId,
            ["Symbol"] = order.Symbol,
            ["Side"] = order.Side.ToString(),
            ["Status"] = order.Status.ToString(),
            ["Price"] = Format(order.Price),
            ["Quantity"] = Format(order.Quantity),
            ["Fee"] = Format(order.Fee),
            ["At"] = order.At.ToUniversalTime(),
            // Exact instant: Edm.DateTime may keep less than the 100 ns ticks.
            ["AtTicks"] = order.At.UtcTicks,
        };
        if (order.RejectReason is not null)
        {
            entity["RejectReason"] = order.RejectReason;
        }
        return entity;
    }

    private static OrderResult ToOrder(TableEntity entity) => new(
        Required(entity, "ClientOrderId"),
        Required(entity, "Symbol"),
        Enum.Parse<OrderSide>(Required(entity, "Side")),
        Enum.Parse<OrderStatus>(Required(entity, "Status")),
        Parse(Required(entity, "Price")),
        Parse(Required(entity, "Quantity")),
        Parse(Required(entity, "Fee")),
        entity.GetInt64("AtTicks") is { } ticks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : entity.GetDateTimeOffset("At") ?? throw Corrupt(entity, "At"),
        entity.GetString("RejectReason"));

    private static decimal Free(TableEntity entity) => Parse(Required(entity, "Free"));

    private static string Required(TableEntity entity, string column) =>
        entity.GetString(column) ?? throw Corrupt(entity, column);

    private static InvalidDataException Corrupt(TableEntity entity, string column) =>
        new($"paper ledger row {entity.PartitionKey}/{entity.RowKey} has no '{column}'");

    private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal Parse(string value) => decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>Table keys may not contain '/', '\', '#', '?' or control characters.</summary>
    private static string ValidKey(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Length > 200 || value.AsSpan().IndexOfAny("/\\#?") >= 0 || value.Any(char.IsControl))
        {
            throw new ArgumentException($"'{value}' cannot be a table key (at most 200 characters, no / \\ # ? or control characters)", name);
        }
        return value;
    }
}
