using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Storage;

/// <summary>
/// Whether this node can write to storage now, whatever its engines happen to write: one small write every
/// <see cref="StorageOptions.ProbeSeconds"/> (the machine's row of the <c>probes</c> table, ETag-guarded, on the control
/// lane that carries engine state). Storage is <see cref="Degraded"/> from a failed probe until one succeeds, and while a probe
/// has been in flight longer than <see cref="StallThreshold"/>. Engines read it every cycle, so an engine that writes
/// rarely (its health only every few minutes while nothing fails) still knows within a second or two that its state
/// cannot be persisted: it opens no new positions and says <c>degraded: "storage"</c> in its status.
/// </summary>
public sealed partial class StorageWatch(CtsTables tables, IOptions<StorageOptions> options, TimeProvider time, ILogger<StorageWatch> logger)
    : BackgroundService
{
    public const string TableName = "probes";

    /// <summary>A write in flight longer than this means storage is stalled: the probe's, and each engine's own.</summary>
    public static readonly TimeSpan StallThreshold = TimeSpan.FromSeconds(2);

    /// <summary>A probe given up after this: it has long counted as stalled by then, and the next one starts.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private const long NotInFlight = long.MinValue;
    private readonly TableEntity _row = new("node", Environment.MachineName);
    private Azure.ETag? _etag;
    private volatile bool _failing;
    private long _inFlightSince = NotInFlight;

    /// <summary>True when the last probe failed and none has succeeded since, or the one in flight is stalled.</summary>
    public bool Degraded => _failing || (Volatile.Read(ref _inFlightSince) is var since && since != NotInFlight
        && time.GetElapsedTime(since) > StallThreshold);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, options.Value.ProbeSeconds));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ProbeAsync(stoppingToken);
                await Task.Delay(period, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One probe: writes the machine's row and records whether storage took it.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _inFlightSince, time.GetTimestamp());
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            var table = await tables.GetAsync(TableName, timeout.Token).ConfigureAwait(false);
            await WriteRowAsync(table, timeout.Token).ConfigureAwait(false);
            if (_failing)
            {
                _failing = false;
                LogRecovered();
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (!_failing)
            {
                _failing = true;
                // The kind and status only: a storage error's message carries the request's address.
                LogFailed(e.GetType().Name, e is Azure.RequestFailedException { Status: var status } ? status : 0);
            }
        }
        finally
        {
            Volatile.Write(ref _inFlightSince, NotInFlight);
        }
    }

    /// <summary>
    /// Writes the machine's row against the version this watch last wrote (every update is ETag-guarded). A conflict is
    /// an answer too — storage took the request, another process on this machine probed in between — so it counts as
    /// storage taking writes, and the next probe writes against the row's current version.
    /// </summary>
    private async Task WriteRowAsync(TableClient table, CancellationToken cancellationToken)
    {
        _row["At"] = time.GetUtcNow();
        try
        {
            var response = _etag is { } etag
                ? await table.UpdateEntityAsync(_row, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)
                : await table.AddEntityAsync(_row, cancellationToken).ConfigureAwait(false);
            _etag = response.Headers.ETag;
        }
        catch (Azure.RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(_row.PartitionKey, _row.RowKey,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            _etag = current.HasValue ? current.Value!.ETag : null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Storage probe failed ({Kind}, status {Status}): engines on this node open no new positions until storage takes a write")]
    private partial void LogFailed(string kind, int status);

    [LoggerMessage(LogLevel.Information, "Storage probe: storage takes writes again")]
    private partial void LogRecovered();
}
