using Azure.Data.Tables;
using Cts.Domain.Engines;
using Cts.Functions.Storage;

namespace Cts.Functions.Engines;

/// <summary>
/// At boot, finds every engine whose persisted state is active (Initializing, Running, Paused, Stopping) and
/// activates it, so it recovers within seconds instead of at its reminder's next tick. Recovery itself happens in
/// the engine, a bounded number at a time (<see cref="EngineRecoveryQueue"/>); this only wakes it. Safe to run on
/// every node: waking an engine twice is harmless.
/// </summary>
public sealed partial class EngineBootRecovery(
    EngineRecords records, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<EngineBootRecovery> logger) : BackgroundService
{
    private const int Parallelism = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The silo starts as another hosted service; engines can be called once the whole host has started.
            await WaitForStartAsync(stoppingToken);
            // Every node asks; the monitor is one grain, so the cluster runs it once.
            await grains.GetGrain<IConnectionMonitorGrain>(0).EnsureRunning();
            var ids = await records.NeedingRecoveryAsync(stoppingToken);
            LogFound(ids.Count);
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken },
                async (id, _) => await WakeAsync(id, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The reminders still bring every active engine back; the scan only makes it faster.
            LogScanFailed(e);
        }
    }

    /// <summary>One engine that cannot be woken now (its activation failed) does not stop the scan; its reminder brings it back.</summary>
    private async Task WakeAsync(string id, CancellationToken stoppingToken)
    {
        try
        {
            await grains.GetGrain<IEngineGrain>(id).Recover();
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogWakeFailed(e, id);
        }
    }

    private Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    [LoggerMessage(LogLevel.Information, "Boot recovery: {Count} active engines to wake")]
    private partial void LogFound(int count);

    [LoggerMessage(LogLevel.Warning, "Boot recovery: engine {ConnectionId} could not be woken; its reminder brings it back")]
    private partial void LogWakeFailed(Exception exception, string connectionId);

    [LoggerMessage(LogLevel.Warning, "Boot recovery scan failed; engines will come back at their reminder's next tick")]
    private partial void LogScanFailed(Exception exception);
}
