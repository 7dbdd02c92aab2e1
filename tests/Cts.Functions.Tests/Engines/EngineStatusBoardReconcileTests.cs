using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Cts.Domain.Connections;
using Cts.Functions.Engines;
using Cts.Functions.Live;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Cts.Functions.Tests.Engines;

/// <summary>
/// The status board's periodic reconcile with the connections table (every 30 s) survives any failure of that read:
/// a failed background service stops the whole host, which is what a 10,000-engine recovery did when the listing
/// timed out (the host exited with code 0 two minutes into the recovery). Storage is Azurite; the failure is
/// injected at the table client's boundary, and the board's clock is a fake one.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EngineStatusBoardReconcileTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_failing_reconcile_neither_stops_the_board_nor_the_host_and_the_next_one_catches_up()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var fault = new FailingReads();
        var prefix = azurite.NewPrefix();
        var store = new ConnectionStore(PolicyTables.With(azurite.ConnectionString, prefix, fault));
        var board = new EngineStatusBoard(new EngineEventBus(time), store, Mock.Of<IGrainFactory>(), time, NullLogger<EngineStatusBoard>.Instance);
        await board.StartAsync(CancellationToken.None);
        try
        {
            Assert.Empty((await board.PageAsync(null, 10, null)).Lines); // loaded: an empty table
            // A connection written by another node, which this board has not been told of: only a reconcile finds it.
            var elsewhere = new ConnectionStore(azurite.NewTables(prefix));
            var now = time.GetUtcNow();
            await elsewhere.CreateAsync(new Connection("written-elsewhere", "Elsewhere", "paper", ["BTCUSDT"], null, false, false, 1, now, now));

            foreach (var failure in new Exception[]
            {
                new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout", new TimeoutException()),
                new InvalidOperationException("not a storage answer at all"),
            })
            {
                fault.Fail(failure);
                var tried = fault.Failures;
                time.Advance(EngineStatusBoard.ReconcileInterval);
                await Eventually.UntilAsync(() => Task.FromResult(fault.Failures > tried), TimeSpan.FromSeconds(10), $"a reconcile meets {failure.GetType().Name}");
                await Task.Yield();
                Assert.False(board.ExecuteTask!.IsCompleted, $"the board's loop ended after {failure.GetType().Name}: {board.ExecuteTask.Exception}");
                Assert.False(await board.ListsAsync("written-elsewhere"));
            }

            fault.Fail(null);
            time.Advance(EngineStatusBoard.ReconcileInterval);
            await Eventually.UntilAsync(() => board.ListsAsync("written-elsewhere"), TimeSpan.FromSeconds(10), "the next reconcile lists the connection");
            Assert.False(board.ExecuteTask!.IsCompleted);
        }
        finally
        {
            await board.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Fails every read of a table (GET) with the exception given, while one is given; writes pass.</summary>
    private sealed class FailingReads : HttpPipelinePolicy
    {
        private volatile Exception? _failure;
        private int _failures;

        public int Failures => Volatile.Read(ref _failures);

        public void Fail(Exception? failure) => _failure = failure;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Check(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Check(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Check(HttpMessage message)
        {
            if (_failure is { } failure && message.Request.Method == RequestMethod.Get)
            {
                Interlocked.Increment(ref _failures);
                throw failure;
            }
        }
    }
}
