using Cts.Functions.Storage;

namespace Cts.Functions.Backtests;

/// <summary>
/// At boot, activates every backtest stored as queued or running, so it resumes from its checkpoint within seconds
/// instead of at its reminder's next tick. Safe on every node: activating a grain twice is harmless.
/// </summary>
public sealed partial class BacktestBootRecovery(
    BacktestStore store, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<BacktestBootRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await started.Task.WaitAsync(stoppingToken);
            var active = (await store.ListAsync(stoppingToken)).Where(r => BacktestStatus.IsActive(r.Status)).ToList();
            foreach (var record in active)
            {
                await grains.GetGrain<IBacktestGrain>(record.Id).Start();
            }
            if (active.Count > 0)
            {
                LogWoken(active.Count);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogFailed(e); // their reminders still bring them back
        }
    }

    [LoggerMessage(LogLevel.Information, "Boot recovery: {Count} backtests to resume")]
    private partial void LogWoken(int count);

    [LoggerMessage(LogLevel.Warning, "Backtest boot recovery failed; backtests resume at their reminder's next tick")]
    private partial void LogFailed(Exception exception);
}
