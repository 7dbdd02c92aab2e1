using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Engines;
using Cts.Functions.Retention;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Retention;

/// <summary>
/// Engine records without a connection (issue 6): the connection monitor stops a running one at once, and the
/// retention job removes a record only once it has been Idle or Stopped for longer than <c>retentionDays</c>, measured
/// from the record's <c>Since</c>. The engines run on the host's clock; the sweeper gets a FakeTimeProvider set
/// relative to the records' own <c>Since</c>, so "days later" needs no waiting.
/// </summary>
public sealed class OrphanEngineRetentionTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task An_orphaned_Stopped_or_Idle_record_is_kept_within_retention_and_removed_past_it_one_with_a_connection_never()
    {
        await Client.PatchSettingsAsync(new { retentionDays = 3 });
        await Client.StartPaperEngineAsync("gone-stopped");
        (await Client.PostAsync("/api/engines/gone-stopped/stop", null)).EnsureSuccessStatusCode();
        await Client.CreatePaperConnectionAsync("gone-idle");
        (await Client.PostAsync("/api/connections/gone-idle/enable", null)).EnsureSuccessStatusCode();
        (await Client.PostAsync("/api/connections/gone-idle/disable", null)).EnsureSuccessStatusCode();
        await Client.StartPaperEngineAsync("still-here");
        (await Client.PostAsync("/api/engines/still-here/stop", null)).EnsureSuccessStatusCode();
        await DeleteConnectionFromTableAsync("gone-stopped");
        await DeleteConnectionFromTableAsync("gone-idle");
        var records = await new EngineRecords(Host.Tables).AllAsync();
        Assert.Equal(["Idle", "Stopped", "Stopped"], new[] { "gone-idle", "gone-stopped", "still-here" }.Select(id => records[id].State));
        var orphanSince = new[] { records["gone-idle"].Since!.Value, records["gone-stopped"].Since!.Value };

        // The retention grain on the host's clock: everything is minutes old, nothing goes.
        Assert.Empty((await Grains.GetGrain<IRetentionGrain>(0).RunOnce()).EnginesRemoved);
        // A minute short of retention for the older orphan: still kept.
        var clock = new FakeTimeProvider(orphanSince.Min() + TimeSpan.FromDays(3) - Minute);
        Assert.Empty(await Sweeper(clock).RunOnceAsync());
        Assert.Equal(3, (await new EngineRecords(Host.Tables).AllAsync()).Count);

        // A minute past retention for the younger orphan: both orphans go, the engine with a connection stays.
        clock.SetUtcNow(orphanSince.Max() + TimeSpan.FromDays(3) + Minute);
        Assert.Equal(["gone-idle", "gone-stopped"], await Sweeper(clock).RunOnceAsync());

        Assert.Equal(["still-here"], (await new EngineRecords(Host.Tables).AllAsync()).Keys);
        var delete = Assert.Single(await AuditAsync("gone-stopped"), e => e["action"]!.GetValue<string>() == "delete");
        Assert.Equal("system", delete["actor"]!.GetValue<string>());
        Assert.Equal("Stopped", delete["fromState"]!.GetValue<string>());
        Assert.Contains("past the retention of 3 days", delete["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await Sweeper(clock).RunOnceAsync());
    }

    [Fact]
    public async Task A_running_orphan_is_stopped_at_once_by_the_monitor_and_its_record_removed_only_after_retentionDays_Stopped()
    {
        await Client.StartPaperEngineAsync("gone-running");
        await DeleteConnectionFromTableAsync("gone-running");

        await Grains.GetGrain<IConnectionMonitorGrain>(0).RunOnce();

        var record = (await new EngineRecords(Host.Tables).AllAsync())["gone-running"];
        Assert.Equal("Stopped", record.State);
        Assert.Contains(await AuditAsync("gone-running"),
            e => e["action"]!.GetValue<string>() == "stop" && e["actor"]!.GetValue<string>() == "system" && e["toState"]!.GetValue<string>() == "Stopped");

        // Default retention, 7 days from when it stopped.
        var clock = new FakeTimeProvider(record.Since!.Value + TimeSpan.FromDays(7) - Minute);
        Assert.Empty(await Sweeper(clock).RunOnceAsync());
        Assert.True((await new EngineRecords(Host.Tables).AllAsync()).ContainsKey("gone-running"));

        clock.Advance(2 * Minute);
        Assert.Equal(["gone-running"], await Sweeper(clock).RunOnceAsync());
        Assert.False((await new EngineRecords(Host.Tables).AllAsync()).ContainsKey("gone-running"));
    }

    /// <summary>The retention job's engine part on <paramref name="clock"/>, against this host's storage and engines.</summary>
    private OrphanEngineSweeper Sweeper(TimeProvider clock) => new(new ConnectionStore(Host.Tables), new EngineRecords(Host.Tables),
        new SettingsStore(Host.Tables, clock), Grains, clock, NullLogger<OrphanEngineSweeper>.Instance);

    /// <summary>Deletes a connection straight from its table, leaving its engine record behind (a crash in between).</summary>
    private async Task DeleteConnectionFromTableAsync(string id)
    {
        var store = new ConnectionStore(Host.Tables);
        var current = (await store.GetAsync(id))!;
        Assert.Equal(WriteOutcome.Written, await store.DeleteAsync(id, current.ETag));
    }

    private async Task<List<JsonNode>> AuditAsync(string connectionId) =>
        (await (await Client.GetAsync($"/api/audit?connectionId={connectionId}&top=1000")).JsonAsync())!["entries"]!.AsArray()
            .Select(e => e!).ToList();
}
