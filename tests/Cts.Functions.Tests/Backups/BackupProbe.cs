using Cts.Functions.Backups;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Backups;

/// <summary>
/// Reads the host's backups directly (the API lists them but does not serve their content). A change made through the
/// API is snapshotted after its response, within the snapshot pump's interval, so tests wait for the backup.
/// </summary>
internal static class BackupProbe
{
    /// <summary>How long a backup may take to follow a change: the interval (2 s) and one capture, with room.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Every backup, newest first, with its content (null for one pruned between listing and reading).</summary>
    public static async Task<List<(string Name, ConfigSnapshot? Snapshot)>> AllAsync(this CtsAppFactory host)
    {
        var store = host.Services.GetRequiredService<BackupStore>();
        var all = new List<(string, ConfigSnapshot?)>();
        foreach (var backup in await store.ListAsync())
        {
            all.Add((backup.Name, await store.ReadAsync(backup.Name)));
        }
        return all;
    }

    /// <summary>The name of the newest backup, once that one satisfies <paramref name="covers"/>.</summary>
    public static async Task<string> NewestCoveringAsync(this CtsAppFactory host, Func<ConfigSnapshot, bool> covers, string what)
    {
        var store = host.Services.GetRequiredService<BackupStore>();
        var newest = await Eventually.UntilAsync(async () =>
        {
            var list = await store.ListAsync();
            return list.Count == 0 ? (Name: "", Snapshot: null) : (list[0].Name, Snapshot: await store.ReadAsync(list[0].Name));
        }, b => b.Snapshot is { } s && covers(s), Patience, $"the newest backup has {what}");
        return newest.Name;
    }

    public static bool HasConnection(this ConfigSnapshot snapshot, string id, string? name = null) =>
        snapshot.Connections.Any(c => c.Id == id && (name is null || c.Name == name));

    public static bool HasPreset(this ConfigSnapshot snapshot, string id, decimal? positionSizeQuote = null) =>
        snapshot.Presets.Any(p => p.Id == id && (positionSizeQuote is null || p.PositionSizeQuote == positionSizeQuote));
}
