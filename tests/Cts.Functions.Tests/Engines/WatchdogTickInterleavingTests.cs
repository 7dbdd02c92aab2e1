using System.Net.Http.Json;
using Cts.Functions.Engines;
using Cts.Functions.Exchanges;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cts.Functions.Tests.Engines;

/// <summary>
/// The watchdog's reminder tick is delivered while the engine's turn is stuck: queued behind cycles that waited on
/// storage, 17,000 ticks expired in one soak at 10,000 engines, each logged as a dropped grain call.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WatchdogTickInterleavingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_watchdog_tick_is_answered_while_a_start_waits_on_the_venue_and_the_start_then_completes()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var venue = new FaultyExchange(FaultyExchange.Paper()) { HoldChecksUntil = answer.Task };
        await using var host = HostOn(venue);
        using var client = host.CreateClient(Roles.Admin);
        await client.CreatePaperConnectionAsync("stuck");
        (await client.PostAsync("/api/connections/stuck/enable", null)).EnsureSuccessStatusCode();

        var start = client.PostAsync("/api/engines/stuck/start", null);
        await venue.CheckEntered.WaitAsync(TimeSpan.FromSeconds(20));

        // The engine's turn is the start, waiting on the venue; the tick does not wait behind it.
        var engine = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IEngineGrain>("stuck");
        var now = DateTime.UtcNow;
        await engine.AsReference<IRemindable>().ReceiveReminder("engine-watchdog", new TickStatus(now, TimeSpan.FromMinutes(1), now))
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(start.IsCompleted, "the start was still waiting on the venue when the tick was answered");

        answer.SetResult();
        (await start).EnsureSuccessStatusCode();
        var status = await Eventually.UntilAsync(() => client.StatusAsync("stuck"), s => s.State() == "Running", TimeSpan.FromSeconds(20),
            "the start completes once the venue answers", () => host.Logs.Tail());
        Assert.Equal("Running", status.State());
    }

    [Fact]
    public async Task The_connection_monitors_reminder_tick_is_answered_while_its_pass_waits_on_an_engine()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var venue = new FaultyExchange(FaultyExchange.Paper()) { HoldChecksUntil = answer.Task };
        await using var host = HostOn(venue);
        using var client = host.CreateClient(Roles.Admin);
        (await client.PostAsJsonAsync("/api/connections",
            new { id = "auto-stuck", name = "Auto", exchange = "paper", symbols = new[] { "BTCUSDT" }, autoStart = true })).EnsureSuccessStatusCode();

        // The monitor's pass starts the autoStart engine, whose start waits on the venue: the pass waits with it.
        var monitor = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IConnectionMonitorGrain>(0);
        var pass = monitor.RunOnce();
        await venue.CheckEntered.WaitAsync(TimeSpan.FromSeconds(30));

        var now = DateTime.UtcNow;
        await monitor.AsReference<IRemindable>().ReceiveReminder("monitor", new TickStatus(now, TimeSpan.FromMinutes(1), now))
            .WaitAsync(TimeSpan.FromSeconds(10));

        answer.SetResult();
        await pass.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(() => client.StatusAsync("auto-stuck"), s => s.State() == "Running", TimeSpan.FromSeconds(20),
            "the monitor's start completes once the venue answers", () => host.Logs.Tail());
    }

    /// <summary>A host whose every connection trades on <paramref name="venue"/>.</summary>
    private CtsAppFactory HostOn(FaultyExchange venue) => new(azurite, null, services =>
    {
        services.RemoveAll<IExchangeFactory>();
        services.AddSingleton(FaultyExchange.Factory(venue));
    });
}
