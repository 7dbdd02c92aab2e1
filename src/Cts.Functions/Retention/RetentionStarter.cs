namespace Cts.Functions.Retention;

/// <summary>Once the host (and its silo) has started, makes sure the retention grain runs; every node asks, one grain runs.</summary>
public sealed partial class RetentionStarter(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<RetentionStarter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                await started.Task;
            }
            await grains.GetGrain<IRetentionGrain>(0).EnsureRunning();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The reminder (once registered) or the next start tries again.
            LogFailed(e);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not start the retention job")]
    private partial void LogFailed(Exception exception);
}
