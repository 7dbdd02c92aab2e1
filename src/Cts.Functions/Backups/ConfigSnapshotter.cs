using Cts.Functions.Storage;

namespace Cts.Functions.Backups;

/// <summary>Reads the whole configuration through its stores and saves it as a backup.</summary>
public sealed partial class ConfigSnapshotter(
    ConnectionStore connections, PresetStore presets, SettingsStore settings, BackupStore backups, TimeProvider time,
    ILogger<ConfigSnapshotter> logger)
{
    /// <summary>The configuration as stored now (credentials stay encrypted).</summary>
    public async Task<ConfigSnapshot> CaptureAsync(string reason, CancellationToken cancellationToken = default)
    {
        var c = await connections.ListAllAsync(cancellationToken);
        var p = await presets.ListAllAsync(cancellationToken);
        var s = await settings.GetAsync(cancellationToken);
        return new ConfigSnapshot(ConfigSnapshot.CurrentFormat, time.GetUtcNow(), reason,
            c.Select(v => v.Value).OrderBy(v => v.Id, StringComparer.Ordinal).ToList(),
            p.Select(v => v.Value).OrderBy(v => v.Id, StringComparer.Ordinal).ToList(), s?.Value);
    }

    /// <summary>Captures and saves a snapshot; returns its backup name.</summary>
    public async Task<string> TakeAsync(string reason, CancellationToken cancellationToken = default) =>
        await backups.SaveAsync(await CaptureAsync(reason, cancellationToken), cancellationToken);

    /// <summary>As <see cref="TakeAsync"/>, but a failure is logged, not thrown: the change it follows is already made.</summary>
    public async Task<string?> TryTakeAsync(string reason, CancellationToken cancellationToken = default)
    {
        try
        {
            return await TakeAsync(reason, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, reason);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Configuration snapshot '{Reason}' failed")]
    private partial void LogFailed(Exception exception, string reason);
}
