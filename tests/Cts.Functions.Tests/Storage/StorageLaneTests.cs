using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Cts.Domain.Trading;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Storage;

/// <summary>
/// The trade path's tables travel on a lane of their own with a bound on requests in flight (<see cref="InFlightLimit"/>):
/// while that lane is full, its further requests wait in the node and are dropped unsent when their caller gives up,
/// and the control lane (grain state, audit, reminders, configuration) is not behind them. Storage is Azurite; the
/// trading lane's requests are held at the client, after its limit, as a slow endpoint would hold them.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageLaneTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task While_the_trading_lane_is_full_a_further_trade_request_is_dropped_unsent_and_control_writes_go_through()
    {
        await using var lane = await FullTradingLaneAsync();

        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var dropped = await Assert.ThrowsAsync<StorageRequestDroppedException>(() => lane.Trading.AddEntityAsync(new TableEntity("lane", "late"), giveUp.Token));
        Assert.Equal(StorageLane.Trading, dropped.Lane);
        Assert.Equal(CtsTables.MaxTradingInFlight, lane.Stall.Held);

        var audit = await lane.Tables.GetAsync(AuditLog.TableName);
        var grainState = await lane.Tables.GetAsync(TableGrainStorage.TableName);
        await audit.AddEntityAsync(new TableEntity("lane", "control")).WaitAsync(TimeSpan.FromSeconds(10));
        await grainState.UpsertEntityAsync(new TableEntity("lane", "control")).WaitAsync(TimeSpan.FromSeconds(10));

        lane.Stall.End();
        await Task.WhenAll(lane.Held);
        Assert.False((await lane.Trading.GetEntityIfExistsAsync<TableEntity>("lane", "late")).HasValue, "the dropped request was never sent");
        Assert.Equal(CtsTables.MaxTradingInFlight, lane.Stall.Held);
    }

    [Fact]
    public async Task An_intent_waiting_for_a_full_lane_is_given_up_within_its_write_timeout_as_busy_and_not_written()
    {
        await using var lane = await FullTradingLaneAsync();
        var journal = new TableTradeJournal(lane.Tables, "conn-lane", TimeSpan.FromSeconds(1));

        // Busy, not down: storage never saw it, so an entry it refuses is skipped with nothing to withdraw.
        var refused = await Assert.ThrowsAsync<JournalBusyException>(() => journal.SaveIntentAsync(Entry("coid-lane"), CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Contains("within 1 s", refused.Message);
        Assert.Equal(CtsTables.MaxTradingInFlight, lane.Stall.Held);
        lane.Stall.End();
        await Task.WhenAll(lane.Held);
        Assert.Empty((await journal.LoadAsync(CancellationToken.None)).PendingIntents);
    }

    [Fact]
    public async Task A_retry_dropped_in_a_full_lane_is_not_reported_as_unsent_since_its_first_try_reached_storage()
    {
        var prefix = azurite.NewPrefix();
        var limit = new InFlightLimit(StorageLane.Trading, 1);
        var firstTry = new FirstTryFails("retried");
        var gate = new ArrivalGate();
        var trading = CtsTables.ClientOptions(prefix, StorageLane.Trading, limit);
        trading.AddPolicy(firstTry, HttpPipelinePosition.PerRetry);
        trading.AddPolicy(gate, HttpPipelinePosition.PerRetry);
        var tables = new CtsTables(new TableServiceClient(azurite.ConnectionString, CtsTables.ClientOptions(prefix)),
            new TableServiceClient(azurite.ConnectionString, trading), prefix);
        var table = await tables.GetAsync(TradingEntities.TableName);
        using var giveUp = new CancellationTokenSource();

        // The first try takes the lane's one slot and is held there; another write queues behind it.
        var retried = table.AddEntityAsync(new TableEntity("lane", "retried"), giveUp.Token);
        await firstTry.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        var other = table.AddEntityAsync(new TableEntity("lane", "other"));
        await Eventually.UntilAsync(() => Task.FromResult(limit.Waiting == 1), TimeSpan.FromSeconds(10), "the other write waits for the lane");
        // The first try fails as a broken connection would, after it was sent: the other write takes the slot and is
        // held, so the client's retry waits for the lane until its caller gives up.
        firstTry.Fail();
        await Eventually.UntilAsync(() => Task.FromResult(gate.Arrivals.Count == 1 && limit.Waiting == 1), TimeSpan.FromSeconds(10),
            "the retry waits behind the other write");
        giveUp.Cancel();

        var thrown = await Record.ExceptionAsync(() => retried).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(thrown);
        var all = thrown is AggregateException aggregate ? aggregate.Flatten().InnerExceptions.Prepend(thrown) : [thrown];
        Assert.DoesNotContain(all, e => e is StorageRequestDroppedException);
        gate.Open();
        await other.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task While_the_trading_lane_is_full_an_engines_trading_partition_still_loads_for_its_start()
    {
        await using var lane = await FullTradingLaneAsync();
        var journal = new TableTradeJournal(lane.Tables, "conn-start");

        var snapshot = await journal.LoadAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(snapshot.OpenPositions);
        Assert.Equal(CtsTables.MaxTradingInFlight, lane.Stall.Held);
    }

    [Fact]
    public async Task A_settlement_storage_does_not_answer_is_given_up_within_the_write_timeout_and_the_intent_stays_pending()
    {
        var prefix = azurite.NewPrefix();
        var stall = new StorageStall();
        var journal = new TableTradeJournal(PolicyTables.With(azurite.ConnectionString, prefix, stall), "conn-settle", TimeSpan.FromSeconds(1));
        var intent = Entry("coid-settle");
        await journal.SaveIntentAsync(intent, CancellationToken.None);

        stall.Begin(Limit);
        var refused = await Assert.ThrowsAsync<JournalUnavailableException>(() => journal.CompleteAsync(intent with { Status = IntentStatus.Filled },
            null, 0m, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(15));
        stall.End();

        Assert.Contains("settlement of coid-settle", refused.Message);
        Assert.Equal(intent, Assert.Single((await journal.LoadAsync(CancellationToken.None)).PendingIntents));
    }

    [Fact]
    public async Task In_a_full_lane_an_exit_goes_before_a_new_entry_that_waited_longer()
    {
        var prefix = azurite.NewPrefix();
        var gate = new ArrivalGate();
        var limit = new InFlightLimit(StorageLane.Trading, 2);
        var trading = CtsTables.ClientOptions(prefix, StorageLane.Trading, limit);
        trading.AddPolicy(gate, HttpPipelinePosition.PerRetry);
        var tables = new CtsTables(new TableServiceClient(azurite.ConnectionString, CtsTables.ClientOptions(prefix)),
            new TableServiceClient(azurite.ConnectionString, trading), prefix);
        var table = await tables.GetAsync(TradingEntities.TableName);
        var journal = new TableTradeJournal(tables, "conn-urgency", TimeSpan.FromSeconds(60));
        var held = new[] { table.AddEntityAsync(new TableEntity("lane", "held-0")), table.AddEntityAsync(new TableEntity("lane", "held-1")) };
        await Eventually.UntilAsync(() => Task.FromResult(gate.Arrivals.Count == 2), TimeSpan.FromSeconds(10), "the lane is full");

        var entry = journal.SaveIntentAsync(Entry("coid-entry"), CancellationToken.None);
        await Eventually.UntilAsync(() => Task.FromResult(limit.Waiting == 1), TimeSpan.FromSeconds(10), "the entry waits for the lane");
        var exit = journal.SaveIntentAsync(Entry("coid-exit") with { Side = OrderSide.Sell, Purpose = OrderPurpose.Close, QuoteAmount = null,
            Quantity = 0.01m, PositionId = "coid-entry", ExitReason = ExitReason.StopLoss }, CancellationToken.None);
        await Eventually.UntilAsync(() => Task.FromResult(limit.Waiting == 2), TimeSpan.FromSeconds(10), "the exit waits too");
        gate.ReleaseOne();

        await Eventually.UntilAsync(() => Task.FromResult(gate.Arrivals.Count == 3), TimeSpan.FromSeconds(10), "the freed slot is taken");
        Assert.Contains("coid-exit", gate.Arrivals[2]);
        Assert.Equal(1, limit.Waiting);
        gate.Open();
        await Task.WhenAll(held.Cast<Task>().Append(entry).Append(exit)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("coid-entry", gate.Arrivals[3]);
    }

    /// <summary>Holds each write that reaches it until released one at a time (or all, once open), recording the order they came in.</summary>
    private sealed class ArrivalGate : HttpPipelinePolicy
    {
        private readonly Lock _lock = new();
        private readonly Queue<TaskCompletionSource> _held = new();
        private readonly List<string> _arrivals = [];
        private bool _open;

        public IReadOnlyList<string> Arrivals
        {
            get
            {
                lock (_lock)
                {
                    return _arrivals.ToList();
                }
            }
        }

        public void ReleaseOne()
        {
            lock (_lock)
            {
                _held.Dequeue().SetResult();
            }
        }

        public void Open()
        {
            lock (_lock)
            {
                _open = true;
                while (_held.TryDequeue(out var next))
                {
                    next.SetResult();
                }
            }
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await HoldAsync(message);
            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            HoldAsync(message).GetAwaiter().GetResult();
            ProcessNext(message, pipeline);
        }

        private Task HoldAsync(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get)
            {
                return Task.CompletedTask;
            }
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                // The row is in the request body (an insert posts to the table): keep it whole, the test looks for ids in it.
                _arrivals.Add(RequestBody.Text(message)!);
                if (_open)
                {
                    return Task.CompletedTask;
                }
                _held.Enqueue(release);
            }
            return release.Task;
        }
    }

    /// <summary>
    /// Holds the first try of the write of one row until <see cref="Fail"/>, then fails it with an I/O error (a
    /// connection broken after the request went out), which the storage client retries; every other request passes.
    /// </summary>
    private sealed class FirstTryFails(string rowKey) : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _fail = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _tries;

        public Task Arrived => _arrived.Task;

        public void Fail() => _fail.TrySetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (IsFirstTryOfRow(message))
            {
                _arrived.TrySetResult();
                await _fail.Task;
                throw new IOException("connection reset after the request was sent");
            }
            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        private bool IsFirstTryOfRow(HttpMessage message) =>
            RequestBody.Text(message)?.Contains(rowKey, StringComparison.Ordinal) == true && Interlocked.Increment(ref _tries) == 1;
    }

    /// <summary>Tables whose trading lane has <see cref="CtsTables.MaxTradingInFlight"/> writes held in flight.</summary>
    private async Task<FullLane> FullTradingLaneAsync()
    {
        var prefix = azurite.NewPrefix();
        var stall = new StorageStall();
        var trading = CtsTables.ClientOptions(prefix, StorageLane.Trading);
        trading.AddPolicy(stall, HttpPipelinePosition.PerRetry);
        var tables = new CtsTables(new TableServiceClient(azurite.ConnectionString, CtsTables.ClientOptions(prefix)),
            new TableServiceClient(azurite.ConnectionString, trading), prefix);
        var table = await tables.GetAsync(TradingEntities.TableName);

        stall.Begin(Limit);
        var held = Enumerable.Range(0, CtsTables.MaxTradingInFlight)
            .Select(i => table.AddEntityAsync(new TableEntity("lane", $"held-{i}"))).ToList();
        await Eventually.UntilAsync(() => Task.FromResult(stall.Held == CtsTables.MaxTradingInFlight), TimeSpan.FromSeconds(10),
            "the trading lane's bound of requests is in flight");
        return new FullLane(tables, table, stall, held);
    }

    private sealed record FullLane(CtsTables Tables, TableClient Trading, StorageStall Stall, List<Task<Azure.Response>> Held) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Stall.End();
            await Task.WhenAll(Held).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static OrderIntent Entry(string clientOrderId) =>
        new(clientOrderId, "BTCUSDT", OrderSide.Buy, OrderPurpose.Open, 100m, null, clientOrderId, null, At.AddMinutes(-1), At);
}
