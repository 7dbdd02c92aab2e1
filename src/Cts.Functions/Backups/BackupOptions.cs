namespace Cts.Functions.Backups;

/// <summary>The <c>Backups</c> configuration section.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backups";

    /// <summary>How many snapshots are kept; older ones are deleted after each new one.</summary>
    public int Keep { get; set; } = 20;
}
