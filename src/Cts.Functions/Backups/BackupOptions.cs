namespace Cts.Functions.Backups;

/// <summary>The <c>Backups</c> configuration section.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backups";

    /// <summary>How many snapshots are kept; older ones are deleted after each new one.</summary>
    public int Keep { get; set; } = 20;

    /// <summary>
    /// The least time between the starts of two snapshots that follow API changes (<see cref="SnapshotPump"/>): every
    /// snapshot reads the whole configuration, so a burst of changes shares one instead of paying one each.
    /// </summary>
    public double MinIntervalSeconds { get; set; } = 2;
}
