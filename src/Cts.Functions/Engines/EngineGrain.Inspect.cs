using Cts.Domain.Engines;
using Cts.Domain.Processors;

namespace Cts.Functions.Engines;

/// <summary>
/// The inspector's view of the engine (<see cref="IEngineInspector"/>): read-only, from the live activation — its
/// timers' next ticks, its watchdog reminder as stored, the node it runs on and the retry plan of the current settings.
/// </summary>
public sealed partial class EngineGrain : IEngineInspector
{
    public async Task<EngineInspection> Inspect()
    {
        var status = DurableStatus();
        var armed = _timers.Count > 0 && EngineLifecycle.HasTimers(Current);
        var processors = Enum.GetValues<ProcessorKind>().Select(kind =>
        {
            var wire = kind.ToWire();
            var health = status.Processors[wire];
            return new ProcessorInspection(wire, health.IntervalMs, armed ? _schedule.DueAt(kind) : null, health.LastRunAt,
                health.LastSuccessAt, health.Runs, health.Failures, health.ConsecutiveFailures, health.LastError);
        }).ToList();
        var policy = (await settingsStore.CurrentAsync()).StartRetry;
        var plan = Enumerable.Range(1, policy.MaxAttempts).Select(attempt => new RetryStep(attempt,
            Math.Round(RetryBackoff.Delay(policy, attempt, ConnectionId).TotalSeconds, 1),
            state.State.Retry is { NextAttemptAt: { } due } retry && retry.Attempt == attempt ? due : null)).ToList();
        return new EngineInspection
        {
            Status = status,
            Node = ServiceProvider.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString(),
            Processors = processors,
            Watchdog = await WatchdogAsync(),
            RetryPlan = plan,
            TimersArmed = armed,
            At = time.GetUtcNow(),
        };
    }

    /// <summary>The watchdog reminder as the reminder table holds it: its period and the next time it fires.</summary>
    private async Task<WatchdogView> WatchdogAsync()
    {
        var table = ServiceProvider.GetRequiredService<IReminderTable>();
        var row = await table.ReadRow(this.GetGrainId(), WatchdogReminder);
        if (row is null)
        {
            return new WatchdogView(false, null, null);
        }
        var start = new DateTimeOffset(DateTime.SpecifyKind(row.StartAt, DateTimeKind.Utc));
        var now = time.GetUtcNow();
        var next = start;
        if (row.Period > TimeSpan.Zero && next < now)
        {
            next = start + row.Period * Math.Ceiling((now - start) / row.Period);
        }
        return new WatchdogView(true, row.Period.TotalSeconds, next);
    }
}
