namespace Cts.Functions.Retention;

/// <summary>
/// Runs the retention policy every <see cref="Period"/>: <see cref="RetentionArchiver"/> for history, then
/// <see cref="OrphanEngineSweeper"/> for engine records left without a connection, then <see cref="BacktestSweeper"/> for
/// finished backtests past retention. A reminder brings it back after a
/// node is lost.
/// </summary>
public sealed partial class RetentionGrain(RetentionArchiver archiver, OrphanEngineSweeper orphans, BacktestSweeper backtests,
    ILogger<RetentionGrain> logger)
    : Grain, IRetentionGrain, IRemindable
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);
    private static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(1);

    private IGrainTimer? _timer;

    public async Task EnsureRunning()
    {
        _timer ??= this.RegisterGrainTimer(_ => RunSafelyAsync(), new GrainTimerCreationOptions
        {
            DueTime = FirstRun,
            Period = Period,
            Interleave = false,
            KeepAlive = true,
        });
        await this.RegisterOrUpdateReminder("retention", Period, Period);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => EnsureRunning();

    public async Task<RetentionReport> RunOnce()
    {
        var report = await archiver.RunOnceAsync();
        return report with { EnginesRemoved = await orphans.RunOnceAsync(), BacktestsRemoved = await backtests.RunOnceAsync() };
    }

    private async Task RunSafelyAsync()
    {
        try
        {
            await RunOnce();
        }
        catch (Exception e)
        {
            LogFailed(e); // the next tick tries again
        }
    }

    [LoggerMessage(LogLevel.Warning, "Retention pass failed")]
    private partial void LogFailed(Exception exception);
}
