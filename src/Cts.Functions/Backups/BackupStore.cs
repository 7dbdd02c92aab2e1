using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;

namespace Cts.Functions.Backups;

/// <summary>
/// Configuration snapshots in the blob container <c>{prefix}backups</c>, as <c>backups/{yyyyMMddTHHmmssfffZ}-{reason}.json</c>,
/// keeping the newest <see cref="BackupOptions.Keep"/>. Names are sortable by time.
/// </summary>
public sealed partial class BackupStore(BlobContainerClient container, int keep, TimeProvider time)
{
    public const string Folder = "backups/";

    /// <summary>What a backup name may look like (no paths): digits, T, Z, lowercase letters and dashes, then <c>.json</c>.</summary>
    [GeneratedRegex(@"^[0-9TZ\-a-z]+\.json$")]
    public static partial Regex NamePattern();

    [GeneratedRegex(@"[^a-z0-9\-]+")]
    private static partial Regex NotReasonChar();

    public static bool IsValidName(string name) => name.Length <= 200 && NamePattern().IsMatch(name);

    private readonly SemaphoreSlim _created = new(1, 1);
    private bool _exists;

    /// <summary>Writes the snapshot, prunes old ones, and returns its name (without the folder).</summary>
    public async Task<string> SaveAsync(ConfigSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        var reason = NotReasonChar().Replace(snapshot.Reason.ToLowerInvariant(), "-").Trim('-');
        if (reason.Length == 0) reason = "snapshot";
        if (reason.Length > 60) reason = reason[..60];
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(snapshot, ConfigSnapshot.Json));
        for (var attempt = 1; ; attempt++)
        {
            var name = attempt == 1 ? $"{stamp}-{reason}.json" : $"{stamp}-{reason}-{attempt}.json";
            try
            {
                await container.GetBlobClient(Folder + name).UploadAsync(content, overwrite: false, cancellationToken);
                await PruneAsync(cancellationToken);
                return name;
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < 100)
            {
                // Two snapshots in the same millisecond: the second gets a counter.
            }
        }
    }

    /// <summary>Backup names, newest first.</summary>
    public async Task<IReadOnlyList<BackupInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        var items = new List<BackupInfo>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, Folder, cancellationToken))
        {
            items.Add(new BackupInfo(blob.Name[Folder.Length..], blob.Properties.ContentLength ?? 0, blob.Properties.CreatedOn));
        }
        return items.OrderByDescending(i => i.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The snapshot named <paramref name="name"/>, or null when there is none.</summary>
    public async Task<ConfigSnapshot?> ReadAsync(string name, CancellationToken cancellationToken = default) =>
        await ReadRawAsync(name, cancellationToken) is { } content
            ? JsonSerializer.Deserialize<ConfigSnapshot>(content.ToMemory().Span, ConfigSnapshot.Json)
            : null;

    /// <summary>The bytes of the backup named <paramref name="name"/>, or null when there is none; a restore reads them strictly.</summary>
    public async Task<BinaryData?> ReadRawAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!IsValidName(name)) throw new ArgumentException($"'{name}' is not a backup name", nameof(name));
        await EnsureContainerAsync(cancellationToken);
        try
        {
            return (await container.GetBlobClient(Folder + name).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var all = await ListAsync(cancellationToken);
        foreach (var old in all.Skip(Math.Max(1, keep)))
        {
            await container.GetBlobClient(Folder + old.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_exists) return;
        await _created.WaitAsync(cancellationToken);
        try
        {
            if (!_exists)
            {
                await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                _exists = true;
            }
        }
        finally
        {
            _created.Release();
        }
    }
}

public sealed record BackupInfo(string Name, long Size, DateTimeOffset? CreatedAt);
