using Azure.Data.Tables;
using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;
using Cts.Functions.Exchanges;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Exchanges;

[Collection(AzuriteCollection.Name)]
public sealed class TablePaperLedgerTests(AzuriteFixture azurite)
{
    private const string Connection = "conn-1";
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>An instant with sub-millisecond ticks, to show the stored time is exact.</summary>
    private static readonly DateTimeOffset At = new DateTimeOffset(2025, 3, 14, 12, 34, 56, TimeSpan.Zero).AddTicks(1_234_567);

    private static OrderResult Filled(string id, decimal price = 60_000.12345678m, decimal quantity = 0.01691319m, decimal fee = 0.99999994691090100447855m) =>
        new(id, "BTCUSDT", OrderSide.Buy, OrderStatus.Filled, price, quantity, fee, At, null);

    private static Dictionary<string, decimal> Base(decimal btc) => new() { ["BTC"] = btc };

    [Fact]
    public async Task A_recorded_order_is_found_with_every_field_exact_and_its_deltas_applied()
    {
        var ledger = new TablePaperLedger(azurite.NewTables(), Connection);
        var order = Filled("cts-a");
        var rejected = new OrderResult("cts-b", "ETHUSDT", OrderSide.Sell, OrderStatus.Rejected, 0m, 0m, 0m, At.AddMinutes(1), "insufficient balance");

        Assert.Null(await ledger.FindAsync("cts-a", None));
        Assert.Equal(order, await ledger.RecordAsync(order, -1000.99994685781190548302855m, Base(0.01691319m), None));
        Assert.Equal(rejected, await ledger.RecordAsync(rejected, 0m, new Dictionary<string, decimal>(), None));

        Assert.Equal(order, await ledger.FindAsync("cts-a", None));
        Assert.Equal(rejected, await ledger.FindAsync("cts-b", None));
        Assert.Equal(8999.00005314218809451697145m, await ledger.BalanceAsync("USDT", None));
        Assert.Equal(0.01691319m, await ledger.BalanceAsync("BTC", None));
        Assert.Equal(0m, await ledger.BalanceAsync("ETH", None));
    }

    [Fact]
    public async Task The_starting_quote_balance_is_configurable_and_applies_before_any_row_exists()
    {
        var tables = azurite.NewTables();

        Assert.Equal(10_000m, await new TablePaperLedger(tables, Connection).BalanceAsync("USDT", None));
        var ledger = new TablePaperLedger(tables, "conn-2", startingQuoteBalance: 250m);
        Assert.Equal(250m, await ledger.BalanceAsync("USDT", None));
        await ledger.RecordAsync(Filled("cts-a"), -100m, Base(1m), None);
        Assert.Equal(150m, await ledger.BalanceAsync("USDT", None));
        Assert.Equal(150m, await new PaperLedgers(tables, 250m).For("conn-2").BalanceAsync("USDT", None));
        Assert.Equal(10_000m, await new PaperLedgers(tables).For(Connection).BalanceAsync("USDT", None));
    }

    [Fact]
    public async Task Recording_a_duplicate_client_order_id_returns_the_stored_order_and_does_not_change_the_balance_again()
    {
        var ledger = new TablePaperLedger(azurite.NewTables(), Connection);
        var first = Filled("cts-a");
        await ledger.RecordAsync(first, -1000m, Base(0.5m), None);

        var again = await ledger.RecordAsync(Filled("cts-a", price: 1m, quantity: 7m, fee: 0m), -7m, Base(7m), None);

        Assert.Equal(first, again);
        Assert.Equal(9_000m, await ledger.BalanceAsync("USDT", None));
        Assert.Equal(0.5m, await ledger.BalanceAsync("BTC", None));
    }

    [Fact]
    public async Task A_delta_that_would_overdraw_throws_and_stores_neither_the_order_nor_any_balance()
    {
        var tables = azurite.NewTables();
        var ledger = new TablePaperLedger(tables, Connection, startingQuoteBalance: 100m);

        var e = await Assert.ThrowsAsync<InsufficientBalanceException>(() => ledger.RecordAsync(Filled("cts-a"), -100.01m, Base(1m), None));

        Assert.Equal(("USDT", 100m, -100.01m), (e.Asset, e.Free, e.Delta));
        Assert.Null(await ledger.FindAsync("cts-a", None));
        Assert.Equal(100m, await ledger.BalanceAsync("USDT", None));
        Assert.Equal(0m, await ledger.BalanceAsync("BTC", None));
        Assert.Empty(await RowsAsync(tables));
    }

    [Fact]
    public async Task Concurrent_orders_from_two_nodes_on_one_connection_lose_no_update()
    {
        var tables = azurite.NewTables();
        // Two ledger instances on separate CtsTables/clients: two nodes sharing the storage account.
        var nodes = new[]
        {
            new TablePaperLedger(tables, Connection),
            new TablePaperLedger(azurite.NewTables(tables.NameOf("")), Connection),
        };
        const int perNode = 10;
        var orders = Enumerable.Range(0, 2 * perNode)
            .Select(i => (Order: Filled($"cts-{i:D2}", quantity: 0.001m * (i + 1)), Quote: -(10.5m + i * 0.01m), Btc: 0.001m * (i + 1)))
            .ToList();
        using var start = new ManualResetEventSlim();
        var tasks = orders.Select((o, i) => Task.Run(async () =>
        {
            start.Wait();
            return await nodes[i % 2].RecordAsync(o.Order, o.Quote, Base(o.Btc), None);
        })).ToList();
        start.Set();

        var stored = await Task.WhenAll(tasks);

        Assert.Equal(orders.Select(o => o.Order), stored);
        Assert.Equal(10_000m + orders.Sum(o => o.Quote), await nodes[0].BalanceAsync("USDT", None));
        Assert.Equal(orders.Sum(o => o.Btc), await nodes[1].BalanceAsync("BTC", None));
        foreach (var (order, _, _) in orders)
        {
            Assert.Equal(order, await nodes[1].FindAsync(order.ClientOrderId, None));
        }
    }

    [Fact]
    public async Task Concurrent_recordings_of_one_client_order_id_from_two_nodes_apply_its_deltas_once()
    {
        var tables = azurite.NewTables();
        var nodes = new[] { new TablePaperLedger(tables, Connection), new TablePaperLedger(azurite.NewTables(tables.NameOf("")), Connection) };
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await nodes[i % 2].RecordAsync(Filled("cts-same", price: 100m + i), -(100m + i), Base(1m), None);
        })).ToList();
        start.Set();

        var stored = await Task.WhenAll(tasks);

        Assert.All(stored, s => Assert.Equal(stored[0], s));
        Assert.Equal(10_000m - stored[0].Price, await nodes[0].BalanceAsync("USDT", None));
        Assert.Equal(1m, await nodes[0].BalanceAsync("BTC", None));
    }

    [Fact]
    public async Task The_books_survive_a_new_instance_and_are_kept_per_connection()
    {
        var prefix = azurite.NewPrefix();
        var order = Filled("cts-a");
        await new TablePaperLedger(azurite.NewTables(prefix), Connection).RecordAsync(order, -500m, Base(0.25m), None);

        var reopened = new TablePaperLedger(azurite.NewTables(prefix), Connection);
        Assert.Equal(order, await reopened.FindAsync("cts-a", None));
        Assert.Equal(9_500m, await reopened.BalanceAsync("USDT", None));
        Assert.Equal(0.25m, await reopened.BalanceAsync("BTC", None));

        var other = new TablePaperLedger(azurite.NewTables(prefix), "conn-2");
        Assert.Null(await other.FindAsync("cts-a", None));
        Assert.Equal(10_000m, await other.BalanceAsync("USDT", None));
    }

    [Fact]
    public async Task Rows_are_an_order_row_and_one_row_per_moved_asset_in_the_connections_partition()
    {
        var tables = azurite.NewTables();
        await new TablePaperLedger(tables, Connection).RecordAsync(Filled("cts-a"), -100m, Base(1m), None);

        var rows = await RowsAsync(tables);

        Assert.Equal(["balance-BTC", "balance-USDT", "order-cts-a"], rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(Connection, r.PartitionKey));
        Assert.Equal("9900", rows.Single(r => r.RowKey == "balance-USDT").GetString("Free"));
        Assert.Equal("Filled", rows.Single(r => r.RowKey == "order-cts-a").GetString("Status"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData("")]
    public async Task Ids_that_cannot_be_table_keys_are_refused(string id)
    {
        var tables = azurite.NewTables();
        Assert.Throws<ArgumentException>(() => new TablePaperLedger(tables, id));
        await Assert.ThrowsAsync<ArgumentException>(() => new TablePaperLedger(tables, Connection).FindAsync(id, None));
    }

    [Fact]
    public async Task Paper_exchanges_on_two_nodes_placing_the_same_client_order_id_trade_once()
    {
        var tables = azurite.NewTables();
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 12, 34, 0, TimeSpan.Zero));
        var market = new PaperMarket(seed: 42);
        var exchanges = new[]
        {
            new PaperExchange(market, time, new PaperFillModel(), new PaperLedgers(tables).For(Connection)),
            new PaperExchange(market, time, new PaperFillModel(), new PaperLedgers(azurite.NewTables(tables.NameOf(""))).For(Connection)),
        };
        var request = OrderRequest.Buy(ClientOrderId.For(Connection, "BTCUSDT", time.GetUtcNow(), OrderSide.Buy), "BTCUSDT", 1000m);
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await exchanges[i % 2].PlaceOrderAsync(request, None);
        })).ToList();
        start.Set();

        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal(OrderStatus.Filled, results[0].Status);
        // Same numbers as the domain's PaperExchangeTests at this instant: 10000 − 1000.99994685781190548302855.
        Assert.Equal(8999.00005314218809451697145m, (await exchanges[1].GetBalanceAsync("USDT", None)).Free);
        Assert.Equal(0.01691319m, (await exchanges[0].GetBalanceAsync("BTC", None)).Free);
        Assert.Equal(results[0], await exchanges[1].GetOrderAsync("BTCUSDT", request.ClientOrderId, None));
    }

    [Fact]
    public async Task An_order_after_the_first_costs_one_storage_request_and_a_balance_another_node_moved_is_read_again()
    {
        var prefix = azurite.NewPrefix();
        var requests = new RequestCount();
        var counted = new TablePaperLedger(PolicyTables.With(azurite.ConnectionString, prefix, requests), Connection);
        var other = new TablePaperLedger(azurite.NewTables(prefix), Connection);
        await counted.RecordAsync(Filled("cts-1", quantity: 0.1m), -100m, Base(0.1m), None);

        var before = requests.Value;
        await counted.RecordAsync(Filled("cts-2", quantity: 0.2m), -200m, Base(0.2m), None);
        Assert.Equal(1, requests.Value - before); // the transaction alone: no lookup, no balance reads

        // Another node moves both balances: the kept ETags are stale, the transaction fails, the rows are read again.
        await other.RecordAsync(Filled("cts-3", quantity: 0.3m), -300m, Base(0.3m), None);
        Assert.Equal(Filled("cts-4", quantity: 0.4m), await counted.RecordAsync(Filled("cts-4", quantity: 0.4m), -400m, Base(0.4m), None));

        Assert.Equal(9_000m, await other.BalanceAsync("USDT", None));
        Assert.Equal(1.0m, await other.BalanceAsync("BTC", None));
        before = requests.Value;
        await counted.RecordAsync(Filled("cts-5", quantity: 0.5m), -500m, Base(0.5m), None);
        Assert.Equal(1, requests.Value - before);
        Assert.Equal((8_500m, 1.5m), (await other.BalanceAsync("USDT", None), await other.BalanceAsync("BTC", None)));
    }

    [Fact]
    public async Task A_recording_whose_answer_was_lost_keeps_nothing_and_the_next_order_reads_the_balances_afresh()
    {
        var prefix = azurite.NewPrefix();
        var lose = new LoseFirstInsertAnswer();
        var ledger = new TablePaperLedger(PolicyTables.With(azurite.ConnectionString, prefix, lose), Connection);

        // The transaction lands, its answer is lost, the client sends it again and storage refuses the duplicate:
        // the ledger answers with the stored order, and has applied its deltas once.
        Assert.Equal(Filled("cts-1", quantity: 0.1m), await ledger.RecordAsync(Filled("cts-1", quantity: 0.1m), -100m, Base(0.1m), None));
        Assert.Equal(1, lose.Lost);
        await ledger.RecordAsync(Filled("cts-2", quantity: 0.2m), -200m, Base(0.2m), None);

        var reader = new TablePaperLedger(azurite.NewTables(prefix), Connection);
        Assert.Equal((9_700m, 0.3m), (await reader.BalanceAsync("USDT", None), await reader.BalanceAsync("BTC", None)));
    }

    /// <summary>Counts every request the table client sends (each try), except table creation.</summary>
    private sealed class RequestCount : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Count(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Count(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Count(Azure.Core.HttpMessage message)
        {
            if (!message.Request.Uri.Path.EndsWith("/Tables", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _value);
            }
        }
    }

    private static async Task<List<TableEntity>> RowsAsync(CtsTables tables)
    {
        var table = await tables.GetAsync(TablePaperLedger.TableName);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }
        return rows;
    }
}
