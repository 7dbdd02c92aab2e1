using Microsoft.Extensions.Options;

namespace Cts.Functions.Backups;

/// <summary>
/// Coalesces the snapshots that configuration changes ask for, one pump per node. At most one capture runs at a time,
/// and captures start at most once per <see cref="BackupOptions.MinIntervalSeconds"/>. A request is served by the first
/// capture that <em>starts</em> after it: a capture already reading when the request arrives may have read before the
/// change was written, so it never counts. All the requests waiting for the next capture share it, so N changes in a
/// burst (concurrent or one after another) cost a few full reads of the configuration instead of N.
/// </summary>
/// <remarks>
/// The API does not await the snapshot (see <c>UseConfigSnapshots</c>): with whole-configuration captures, awaiting
/// would cost a client that makes changes one at a time one full capture per change, whatever the coalescing. At
/// shutdown the pending capture is taken at once instead of after the interval.
/// </remarks>
public sealed partial class SnapshotPump : IHostedService
{
    private readonly Func<string, CancellationToken, Task<string?>> _take;
    private readonly TimeSpan _minInterval;
    private readonly TimeProvider _time;
    private readonly ILogger<SnapshotPump> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<string> _reasons = [];
    private TaskCompletionSource<string?>? _next; // completed by the next capture to start; null when none is asked for
    private Task _pump = Task.CompletedTask;
    private bool _running;
    private long? _lastStart;

    public SnapshotPump(ConfigSnapshotter snapshotter, IOptions<BackupOptions> options, TimeProvider time, ILogger<SnapshotPump> logger)
        : this(snapshotter.TryTakeAsync, TimeSpan.FromSeconds(Math.Max(0, options.Value.MinIntervalSeconds)), time, logger)
    {
    }

    /// <param name="take">Captures and saves one snapshot with the given reason; returns its name, or null when it failed.</param>
    internal SnapshotPump(Func<string, CancellationToken, Task<string?>> take, TimeSpan minInterval, TimeProvider time, ILogger<SnapshotPump> logger)
    {
        _take = take;
        _minInterval = minInterval;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Asks for a snapshot that starts after this call. The task completes, with the backup's name (null when the
    /// capture failed, which is logged), once that snapshot is saved; it never fails, so a caller may discard it.
    /// </summary>
    public Task<string?> Request(string reason)
    {
        lock (_gate)
        {
            _next ??= new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_reasons.Contains(reason, StringComparer.Ordinal)) _reasons.Add(reason);
            if (!_running)
            {
                _running = true;
                _pump = Task.Run(RunAsync);
            }
            return _next.Task;
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            long? lastStart;
            lock (_gate)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }
                lastStart = _lastStart;
            }
            await WaitForIntervalAsync(lastStart);
            TaskCompletionSource<string?> served;
            string reason;
            lock (_gate)
            {
                // Whoever asked until now is served by this capture: it starts reading after their changes were written.
                (served, _next) = (_next!, null);
                reason = string.Join('-', _reasons);
                _reasons.Clear();
                _lastStart = _time.GetTimestamp();
            }
            served.SetResult(await TakeAsync(reason));
        }
    }

    private async Task WaitForIntervalAsync(long? lastStart)
    {
        var wait = lastStart is { } last ? _minInterval - _time.GetElapsedTime(last) : TimeSpan.Zero;
        if (wait <= TimeSpan.Zero || _stopping.IsCancellationRequested) return;
        try
        {
            await Task.Delay(wait, _time, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: take the pending snapshot now.
        }
    }

    private async Task<string?> TakeAsync(string reason)
    {
        try
        {
            return await _take(reason, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogFailed(e, reason);
            return null;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Takes the pending snapshot, if any, without waiting out the interval.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        Task pump;
        lock (_gate) pump = _pump;
        await pump.WaitAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Configuration snapshot '{Reason}' failed")]
    private partial void LogFailed(Exception exception, string reason);
}
