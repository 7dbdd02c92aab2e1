using Azure.Data.Tables;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Storage;

/// <summary>
/// The node's storage probe against Azurite: storage that takes its write is healthy; a write held past the stall
/// threshold, or one that failed, makes it degraded until a probe goes through.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageWatchTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    private StorageWatch Watch(CtsTables tables) =>
        new(tables, Options.Create(new StorageOptions()), _time, NullLogger<StorageWatch>.Instance);

    [Fact]
    public async Task A_probe_storage_takes_leaves_the_node_healthy_and_writes_the_machines_row()
    {
        var tables = azurite.NewTables();
        var watch = Watch(tables);

        await watch.ProbeAsync(CancellationToken.None);

        Assert.False(watch.Degraded);
        var table = await tables.GetAsync(StorageWatch.TableName);
        var row = await table.GetEntityAsync<TableEntity>("node", Environment.MachineName);
        Assert.Equal(_time.GetUtcNow(), row.Value.GetDateTimeOffset("At"));
    }

    [Fact]
    public async Task Two_nodes_on_one_machine_probing_in_turn_stay_healthy_and_the_row_holds_the_latest_probe()
    {
        var tables = azurite.NewTables();
        var first = Watch(tables);
        var second = Watch(tables);

        for (var i = 0; i < 3; i++)
        {
            await first.ProbeAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(1));
            await second.ProbeAsync(CancellationToken.None); // writes over the first's version: a conflict, or a fresh read
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.False(first.Degraded);
            Assert.False(second.Degraded);
        }
        await first.ProbeAsync(CancellationToken.None);
        await first.ProbeAsync(CancellationToken.None); // against its own version now: written

        var table = await tables.GetAsync(StorageWatch.TableName);
        var row = await table.GetEntityAsync<TableEntity>("node", Environment.MachineName);
        Assert.Equal(_time.GetUtcNow(), row.Value.GetDateTimeOffset("At"));
    }

    [Fact]
    public async Task A_probe_held_past_the_stall_threshold_is_degraded_until_it_lands()
    {
        var stall = new StorageStall();
        var tables = PolicyTables.With(azurite.ConnectionString, azurite.NewPrefix(), stall);
        var watch = Watch(tables);
        await watch.ProbeAsync(CancellationToken.None); // creates the table before writes are held

        stall.Begin(TimeSpan.FromSeconds(30));
        var probe = watch.ProbeAsync(CancellationToken.None);
        await Eventually.UntilAsync(() => Task.FromResult(stall.Held), held => held > 0, TimeSpan.FromSeconds(10), "the probe's write is held");
        _time.Advance(StorageWatch.StallThreshold);
        Assert.False(watch.Degraded); // not past the threshold yet
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(watch.Degraded);

        stall.End();
        await probe.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(watch.Degraded);
    }

    [Fact]
    public async Task A_failed_probe_is_degraded_until_a_probe_goes_through()
    {
        var refusing = new RefusingPolicy();
        var tables = PolicyTables.With(azurite.ConnectionString, azurite.NewPrefix(), refusing);
        var watch = Watch(tables);
        await watch.ProbeAsync(CancellationToken.None);
        Assert.False(watch.Degraded);

        refusing.Refuse = true;
        await watch.ProbeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(watch.Degraded);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(watch.Degraded); // a failure is not forgotten with time, only by a write that goes through

        refusing.Refuse = false;
        await watch.ProbeAsync(CancellationToken.None);
        Assert.False(watch.Degraded);
    }

    /// <summary>Answers every write with a 503 while <see cref="Refuse"/> is set, as an overloaded storage account does.</summary>
    private sealed class RefusingPolicy : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        public volatile bool Refuse;

        public override ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            if (Refuse && message.Request.Method != Azure.Core.RequestMethod.Get)
            {
                throw new Azure.RequestFailedException(503, "storage refused the write (test)");
            }
            return ProcessNextAsync(message, pipeline);
        }

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
    }
}
