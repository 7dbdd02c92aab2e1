using System.Diagnostics;
using System.Net.Http.Json;
using Cts.Functions.Backups;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Backups;

/// <summary>
/// Changes through the API share snapshots (the node's <see cref="SnapshotPump"/>) instead of each reading the whole
/// configuration, and every change that answered 2xx is in a backup taken after it. Keeps every backup so they can be
/// counted.
/// </summary>
public sealed class SnapshotCoalescingApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    /// <summary>The shipped default of <see cref="BackupOptions.MinIntervalSeconds"/>.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(new BackupOptions().MinIntervalSeconds);

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?> { ["Backups:Keep"] = "1000" };

    [Fact]
    public async Task Fifty_connections_created_at_once_share_a_few_snapshots_and_the_newest_has_them_all()
    {
        var ids = Enumerable.Range(1, 50).Select(i => $"many{i:00}").ToArray();

        await Task.WhenAll(ids.Select(id => Client.CreatePaperConnectionAsync(id)));

        await Host.NewestCoveringAsync(s => ids.All(id => s.HasConnection(id)), "all 50 connections");
        var backups = await Host.AllAsync();
        Assert.InRange(backups.Count, 1, 5);
        Assert.All(backups, b => Assert.EndsWith("Z-post-connections.json", b.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_changing_one_thing_at_a_time_gets_at_most_one_snapshot_per_interval_covering_every_change()
    {
        var clock = Stopwatch.StartNew();
        var ids = Enumerable.Range(1, 20).Select(i => $"seq{i:00}").ToArray();
        foreach (var id in ids)
        {
            await Client.CreatePaperConnectionAsync(id);
        }
        var renamed = await Client.PutAsJsonAsync("/api/connections/seq02", new { name = "Renamed", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false });
        Assert.True(renamed.IsSuccessStatusCode, $"PUT: {(int)renamed.StatusCode}");
        var deleted = await Client.DeleteAsync("/api/connections/seq01");
        Assert.True(deleted.IsSuccessStatusCode, $"DELETE: {(int)deleted.StatusCode}");

        // Every change that answered 2xx, the last ones included, is in a backup taken after it.
        await Host.NewestCoveringAsync(s => ids.Skip(2).All(id => s.HasConnection(id)) && s.HasConnection("seq02", "Renamed")
            && !s.HasConnection("seq01"), "the 20 creates, the rename and the delete");
        var elapsed = clock.Elapsed;

        // Captures start at least an interval apart, so their number is bounded by the time taken, not the changes made.
        var backups = await Host.AllAsync();
        var bound = 1 + (int)(elapsed / Interval);
        Assert.True(backups.Count <= bound, $"{backups.Count} backups for 22 changes in {elapsed.TotalSeconds:0.0} s; at most {bound} expected");
        Assert.True(backups.Count < 22, $"{backups.Count} backups for 22 changes");
    }
}
