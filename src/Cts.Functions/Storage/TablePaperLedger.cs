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
/// <see cref="RecordAsync"/> reads the balances it changes, then submits ONE entity-group transaction that adds the
/// order row (an add, so a second order with the same id fails) and replaces each balance row under the ETag it was
/// read with (or adds it, when the asset has no row yet). So the order and its balance changes are stored together or
/// not at all, and a concurrent writer, in this process or another, makes the transaction fail rather than lose an
/// update. On such a conflict (409/412) the order row is read back: if it now exists, that order is returned
/// (idempotency under races); otherwise the attempt is repeated with fresh balances, after a short jittered backoff,
/// up to <see cref="MaxAttempts"/> times, then an <see cref="ExchangeException"/> (transient) is thrown.
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

    private readonly CtsTables _tables;
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
        return response.HasValue ? Free(response.Value!) : PaperLedger.StartingBalance(asset, _startingQuoteBalance);
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
            var rows = await Task.WhenAll(deltas.Select(d =>
                    table.GetEntityIfExistsAsync<TableEntity>(_partition, BalancePrefix + d.Key, cancellationToken: cancellationToken)))
                .ConfigureAwait(false);

            var actions = new List<TableTransactionAction>(deltas.Count + 1)
            {
                new(TableTransactionActionType.Add, ToEntity(order)),
            };
            for (var i = 0; i < deltas.Count; i++)
            {
                var (asset, delta) = deltas[i];
                var row = rows[i];
                var free = row.HasValue ? Free(row.Value!) : PaperLedger.StartingBalance(asset, _startingQuoteBalance);
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
                actions.Add(row.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, row.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, entity));
            }

            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return order;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // The order row exists (someone recorded this id) or a balance row moved under us.
                if (await FindAsync(order.ClientOrderId, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return existing;
                }
                if (attempt >= MaxAttempts)
                {
                    throw new ExchangeException(ExchangeFaultKind.Transient,
                        $"paper ledger of '{_partition}': order '{order.ClientOrderId}' not recorded after {attempt} attempts (balance contention)", e);
                }
            }
            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
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
