using Cts.Functions.Backtests;
using Cts.Functions.Storage;

namespace Cts.Functions.Retention;

/// <summary>
/// Retention of backtests: a backtest that finished (completed, failed or canceled) more than <c>retentionDays</c> ago is
/// removed with its trades and equity curve, through its grain (the record's only writer). Running ones are never touched.
/// </summary>
public sealed class BacktestSweeper(BacktestStore store, IGrainFactory grains, SettingsStore settings, TimeProvider time)
{
    public async Task<string[]> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays((await settings.CurrentAsync(cancellationToken)).RetentionDays);
        var expired = (await store.ListAsync(cancellationToken))
            .Where(r => !BacktestStatus.IsActive(r.Status) && r.FinishedAt is { } at && at < cutoff)
            .Select(r => r.Id).ToArray();
        foreach (var id in expired)
        {
            await grains.GetGrain<IBacktestGrain>(id).Delete();
        }
        return expired;
    }
}
