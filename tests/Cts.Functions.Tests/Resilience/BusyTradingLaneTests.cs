using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Cts.Functions.Security;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Resilience;

/// <summary>
/// A trade wave, as one engine sees it: the node's trading lane drops its entries' intents unsent
/// (<see cref="StorageRequestDroppedException"/>, what <see cref="InFlightLimit"/> throws when a caller gives up while
/// the lane is full). Storage never saw them and is not down, so the engine skips those entries and nothing else: it is
/// not degraded, its strategies cycles do not fail, and it withdraws nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BusyTradingLaneTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Entries_whose_intents_the_lane_drops_unsent_are_skipped_without_degrading_or_failing_the_engine()
    {
        var lane = new DropsEntryIntents();
        await using var host = new CtsAppFactory(azurite, new Dictionary<string, string?> { ["cts:engine:intentWriteTimeoutSeconds"] = "1" },
            services => PolicyTables.Install(services, lane));
        using var client = host.CreateClient(Roles.Admin);
        await client.StartEagerEnginesAsync("wave-a");

        // Both symbols' entries were tried (and dropped), and the strategies cycle ran again after that.
        await Eventually.UntilAsync(() => Task.FromResult(lane.Dropped), d => d >= 2, Deadline, "the engine tries its entries");
        var runsAfterDrops = (await client.StatusAsync("wave-a")).Runs("strategies");
        var status = await Eventually.UntilAsync(() => client.StatusAsync("wave-a"), s => s.Runs("strategies") > runsAfterDrops,
            Deadline, "the strategies processor cycles on");

        Assert.Equal("Running", status.State());
        Assert.Null(status["degraded"]);
        Assert.Equal(0, status["openPositions"]!.GetValue<int>());
        var strategies = status["processors"]!["strategies"]!;
        Assert.True(strategies["failures"]!.GetValue<long>() == 0, $"a skipped entry is not a failed cycle: {strategies.ToJsonString()}");
        // Each signal is passed over once, not tried again every cycle, and no withdrawal is written for it.
        Assert.Equal(2, lane.Dropped);
        Assert.Equal(0, lane.Withdrawals);
        var audit = (await client.GetFromJsonAsync<JsonObject>("/api/engines/wave-a/audit"))!["entries"]!.AsArray();
        Assert.DoesNotContain(audit, e => e!["outcome"]!.GetValue<string>() == "failed");
    }

    /// <summary>
    /// Drops every new entry's pending intent as the trading lane's in-flight limit would: held until its caller gives up,
    /// then failed unsent. Counts the
    /// withdrawals (rejected intents) the engine writes; everything else passes.
    /// </summary>
    private sealed class DropsEntryIntents : HttpPipelinePolicy
    {
        private int _dropped;
        private int _withdrawals;

        public int Dropped => Volatile.Read(ref _dropped);
        public int Withdrawals => Volatile.Read(ref _withdrawals);

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (IsEntryIntent(message))
            {
                // Held as in a full lane until the journal's write timeout gives up on it, then dropped unsent.
                Interlocked.Increment(ref _dropped);
                await Task.Delay(Timeout.InfiniteTimeSpan, message.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                throw new StorageRequestDroppedException(StorageLane.Trading, message.CancellationToken);
            }
            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        private bool IsEntryIntent(HttpMessage message)
        {
            if (!message.Request.Uri.Path.Contains(TradingEntities.TableName, StringComparison.Ordinal)
                || RequestBody.Text(message) is not { } text || !text.Contains("\"Purpose\":\"Open\"", StringComparison.Ordinal))
            {
                return false;
            }
            if (text.Contains("\"Status\":\"Rejected\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _withdrawals);
            }
            return text.Contains("\"Status\":\"Pending\"", StringComparison.Ordinal);
        }
    }
}
