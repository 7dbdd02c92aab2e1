using System.Net.Http.Json;
using Cts.Domain.Connections;
using Cts.Functions.Engines;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Resilience;

/// <summary>The connection monitor repairs what lost notifications and crashes leave behind.</summary>
public sealed class ConnectionMonitorTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private IConnectionMonitorGrain Monitor => Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IConnectionMonitorGrain>(0);

    [Fact]
    public async Task A_new_autoStart_connection_is_enabled_and_started_by_the_periodic_monitor()
    {
        await Client.PatchSettingsAsync(new { connectionMonitorSeconds = 5 });
        await Monitor.EnsureRunning();

        (await Client.PostAsJsonAsync("/api/connections",
            new { id = "auto1", name = "Auto", exchange = "paper", symbols = new[] { "BTCUSDT" }, autoStart = true })).EnsureSuccessStatusCode();

        var running = await Eventually.UntilAsync(() => Client.StatusAsync("auto1"), s => s.State() == "Running",
            TimeSpan.FromSeconds(15), "the monitor starts the autoStart connection", () => Host.Logs.Tail());
        // The status can show Running a moment before the start's audit entry is written.
        await Eventually.UntilAsync(async () => (await (await Client.GetAsync("/api/audit?connectionId=auto1")).JsonAsync())!["entries"]!.AsArray(),
            audit => audit.Any(e => e!["action"]!.GetValue<string>() == "start" && e["actor"]!.GetValue<string>() == "system"),
            TimeSpan.FromSeconds(5), "the monitor's start is audited as system");
        Assert.Equal(1, running["connectionVersion"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_operators_choice_wins_over_autoStart_and_autoStartOnBoot_off_starts_nothing()
    {
        await Client.PatchSettingsAsync(new { autoStartOnBoot = false });
        (await Client.PostAsJsonAsync("/api/connections",
            new { id = "auto2", name = "Auto", exchange = "paper", symbols = new[] { "BTCUSDT" }, autoStart = true })).EnsureSuccessStatusCode();

        var report = await Monitor.RunOnce();

        Assert.Empty(report.Started);
        Assert.Equal("Idle", (await Client.StatusAsync("auto2")).State());
    }

    [Fact]
    public async Task A_change_whose_notification_was_lost_marks_the_running_engine_restart_required()
    {
        await Client.StartPaperEngineAsync("lost");
        // Written straight to the table, as if the process died before telling the engine.
        var store = new ConnectionStore(Host.Tables);
        var current = (await store.GetAsync("lost"))!;
        await store.ReplaceAsync(current.Value with { Symbols = ["ETHUSDT"], Version = current.Value.Version + 1 }, current.ETag);

        var report = await Monitor.RunOnce();

        Assert.Equal(["lost"], report.MarkedStale);
        var status = await Client.StatusAsync("lost");
        Assert.True(status["restartRequired"]!.GetValue<bool>());
        Assert.Empty((await Monitor.RunOnce()).MarkedStale);
    }

    [Fact]
    public async Task A_running_engine_whose_connection_is_gone_is_stopped_at_once_and_its_record_kept_for_retention()
    {
        await Client.StartPaperEngineAsync("orphan");
        await DeleteConnectionFromTableAsync("orphan");

        var report = await Monitor.RunOnce();

        Assert.Equal(["orphan"], report.OrphansStopped);
        var record = (await new EngineRecords(Host.Tables).AllAsync())["orphan"];
        Assert.Equal("Stopped", record.State);
        var audit = await AuditAsync("orphan");
        var stop = Assert.Single(audit, e => e["action"]!.GetValue<string>() == "stop" && e["actor"]!.GetValue<string>() == "system");
        Assert.Equal("connection deleted", stop["reason"]!.GetValue<string>());
        Assert.Equal("Stopped", stop["toState"]!.GetValue<string>());
        Assert.DoesNotContain(audit, e => e["action"]!.GetValue<string>() == "delete");

        // At rest now: later passes leave it (and its audit trail) alone; removing it is the retention job's.
        Assert.Empty((await Monitor.RunOnce()).OrphansStopped);
        Assert.Equal(audit.Count, (await AuditAsync("orphan")).Count);
        Assert.Equal(record, (await new EngineRecords(Host.Tables).AllAsync())["orphan"]);
    }

    [Fact]
    public async Task An_Enabled_engine_whose_connection_is_gone_is_disabled_and_its_record_kept_for_retention()
    {
        await Client.CreatePaperConnectionAsync("orphan-en");
        (await Client.PostAsync("/api/connections/orphan-en/enable", null)).EnsureSuccessStatusCode();
        await DeleteConnectionFromTableAsync("orphan-en");

        var report = await Monitor.RunOnce();

        Assert.Equal(["orphan-en"], report.OrphansStopped);
        Assert.Equal("Idle", (await new EngineRecords(Host.Tables).AllAsync())["orphan-en"].State);
        Assert.Contains(await AuditAsync("orphan-en"), e => e["action"]!.GetValue<string>() == "disable" && e["actor"]!.GetValue<string>() == "system");
    }

    [Fact]
    public async Task A_rename_does_not_make_a_running_engine_stale()
    {
        await Client.StartPaperEngineAsync("renamed");
        (await Client.PutAsJsonAsync("/api/connections/renamed", new { name = "New name", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false }))
            .EnsureSuccessStatusCode();

        Assert.Empty((await Monitor.RunOnce()).MarkedStale);
        var status = await Client.StatusAsync("renamed");
        Assert.False(status["restartRequired"]!.GetValue<bool>());
        Assert.Equal(2, status["connectionVersion"]!.GetValue<long>());
    }

    /// <summary>Deletes a connection straight from its table, as if the process died before its engine was told.</summary>
    private async Task DeleteConnectionFromTableAsync(string id)
    {
        var store = new ConnectionStore(Host.Tables);
        var current = (await store.GetAsync(id))!;
        Assert.Equal(WriteOutcome.Written, await store.DeleteAsync(id, current.ETag));
    }

    private async Task<List<System.Text.Json.Nodes.JsonNode>> AuditAsync(string connectionId) =>
        (await (await Client.GetAsync($"/api/audit?connectionId={connectionId}&top=1000")).JsonAsync())!["entries"]!.AsArray().Select(e => e!).ToList();
}
