using Azure.Data.Tables;
using Cts.Domain.Engines;
using Cts.Functions.Storage;

namespace Cts.Functions.Engines;

/// <summary>
/// The connection monitor (SPEC §1): compares the connections table with the engines' records and repairs what a
/// lost notification or a crash left behind — a new connection with <c>autoStart</c> (and <c>autoStartOnBoot</c>
/// set) that has never had an engine is enabled and started; a running engine older than its connection is told its
/// configuration is stale; an engine whose connection is gone is brought to rest at once — stopped when it is active
/// or in Error (an orphan never trades), disabled when it is Enabled. Its record stays: the retention job
/// (<see cref="Retention.OrphanEngineSweeper"/>) removes it once it has been Idle or Stopped for <c>retentionDays</c>.
/// All actions go through the engines themselves and are audited as <c>system</c>.
/// </summary>
[Orleans.Concurrency.MayInterleave(nameof(MayInterleave))]
public sealed partial class ConnectionMonitorGrain(
    ConnectionStore connections, SettingsStore settings, EngineRecords records, ILogger<ConnectionMonitorGrain> logger)
    : Grain, IConnectionMonitorGrain, IRemindable
{
    private IGrainTimer? _timer;
    private TimeSpan _period;

    public async Task EnsureRunning()
    {
        var period = TimeSpan.FromSeconds((await settings.CurrentAsync()).ConnectionMonitorSeconds);
        if (_timer is not null && period == _period)
        {
            return;
        }
        _timer?.Dispose();
        _period = period;
        _timer = this.RegisterGrainTimer(_ => RunSafelyAsync(), new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = period,
            Interleave = false,
            KeepAlive = true,
        });
        // Survives the node that hosts it: after a crash the reminder activates the monitor on a live node.
        await this.RegisterOrUpdateReminder("monitor", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    /// <summary>
    /// Orleans' <see cref="Orleans.Concurrency.MayInterleaveAttribute"/> callback: the reminder's ticks interleave with
    /// the monitor's pass, which can take longer than a tick may wait when storage is overloaded (ticks expired there).
    /// A tick only re-arms the timer; one that meets a pass replaces the timer on the same scheduler, so none leaks.
    /// </summary>
    public static bool MayInterleave(Orleans.Serialization.Invocation.IInvokable request) =>
        request.GetInterfaceType() == typeof(IRemindable);

    public Task ReceiveReminder(string reminderName, TickStatus status) => EnsureRunning();

    public async Task<MonitorReport> RunOnce()
    {
        var current = await settings.CurrentAsync();
        var byId = (await connections.ListAllAsync()).ToDictionary(c => c.Value.Id, c => c.Value, StringComparer.Ordinal);
        var engines = await records.AllAsync();
        List<string> started = [], stale = [], orphans = [];

        foreach (var connection in byId.Values)
        {
            var engine = GrainFactory.GetGrain<IEngineGrain>(connection.Id);
            if (!engines.TryGetValue(connection.Id, out var record))
            {
                if (connection.AutoStart && current.AutoStartOnBoot)
                {
                    await engine.Execute(new EngineCommand(EngineAction.Enable.ToWire(), EngineGrain.SystemActor, "autoStart"));
                    await engine.Execute(new EngineCommand(EngineAction.Start.ToWire(), EngineGrain.SystemActor, "autoStart"));
                    started.Add(connection.Id);
                }
                continue;
            }
            if (record.State is nameof(EngineState.Running) or nameof(EngineState.Paused) && record.ConnectionVersion < connection.Version)
            {
                var status = await engine.GetStatus();
                if (!status.RestartRequired && status.ConnectionVersion < connection.Version)
                {
                    await engine.ConfigChanged(new ConfigChange(["connection changed"], EngineGrain.SystemActor));
                    stale.Add(connection.Id);
                }
            }
        }
        foreach (var (id, record) in engines.Where(e => !byId.ContainsKey(e.Key)).ToList())
        {
            if (RestingAction(Enum.Parse<EngineState>(record.State)) is { } action)
            {
                await GrainFactory.GetGrain<IEngineGrain>(id).Execute(new EngineCommand(action.ToWire(), EngineGrain.SystemActor, "connection deleted"));
                orphans.Add(id);
            }
        }
        if (started.Count + stale.Count + orphans.Count > 0)
        {
            LogReconciled(started.Count, stale.Count, orphans.Count);
        }
        return new MonitorReport(started.ToArray(), stale.ToArray(), orphans.ToArray());
    }

    /// <summary>What brings an engine without a connection to rest: stop (active or Error), disable (Enabled), or nothing (Idle, Stopped).</summary>
    private static EngineAction? RestingAction(EngineState state) => state switch
    {
        _ when EngineLifecycle.IsActive(state) => EngineAction.Stop,
        EngineState.Error => EngineAction.Stop,
        EngineState.Enabled => EngineAction.Disable,
        _ => null,
    };

    private async Task RunSafelyAsync()
    {
        try
        {
            await RunOnce();
            await EnsureRunning(); // picks up a changed connectionMonitorSeconds
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e))
        {
            LogSkipped(e);
        }
    }

    [LoggerMessage(LogLevel.Information, "Connection monitor: started {Started}, marked stale {Stale}, stopped or disabled {Orphans} without a connection")]
    private partial void LogReconciled(int started, int stale, int orphans);

    [LoggerMessage(LogLevel.Warning, "Connection monitor: pass skipped, storage unavailable")]
    private partial void LogSkipped(Exception exception);
}
