using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;

namespace Cts.Functions.Retention;

/// <summary>
/// Archived history in the blob container <c>{prefix}archive</c>: gzip-compressed JSON lines, one blob per run and
/// kind, as <c>{kind}/{yyyy-MM-dd-HHmmss}.jsonl.gz</c>.
/// </summary>
public sealed partial class ArchiveStore(BlobContainerClient container)
{
    public const string Audit = "audit", Positions = "positions";
    public static readonly string[] Kinds = [Audit, Positions];

    [GeneratedRegex(@"^[0-9\-]+\.jsonl\.gz$")]
    private static partial Regex NamePattern();

    public static bool IsValidKind(string kind) => Kinds.Contains(kind, StringComparer.Ordinal);

    public static bool IsValidName(string name) => name.Length <= 100 && NamePattern().IsMatch(name);

    /// <summary>Writes lines as a new blob (never overwriting one); returns its path <c>{kind}/{name}</c>.</summary>
    public async Task<string> WriteAsync(string kind, DateTimeOffset at, IEnumerable<string> lines, CancellationToken cancellationToken = default)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        await using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            foreach (var line in lines)
            {
                await writer.WriteAsync(line);
                await writer.WriteAsync('\n');
            }
        }
        var stamp = at.UtcDateTime.ToString("yyyy-MM-dd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        for (var attempt = 1; ; attempt++)
        {
            var path = attempt == 1 ? $"{kind}/{stamp}.jsonl.gz" : $"{kind}/{stamp}-{attempt}.jsonl.gz";
            try
            {
                buffer.Position = 0;
                await container.GetBlobClient(path).UploadAsync(buffer, overwrite: false, cancellationToken);
                return path;
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < 100)
            {
            }
        }
    }

    /// <summary>Every archive blob, newest first within each kind.</summary>
    public async Task<IReadOnlyList<ArchiveInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var items = new List<ArchiveInfo>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, cancellationToken))
        {
            var slash = blob.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0) continue;
            items.Add(new ArchiveInfo(blob.Name[..slash], blob.Name[(slash + 1)..], blob.Properties.ContentLength ?? 0, blob.Properties.CreatedOn));
        }
        return items.OrderBy(i => i.Kind, StringComparer.Ordinal).ThenByDescending(i => i.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The decompressed JSON lines of one archive blob, or null when there is none.</summary>
    public async Task<string?> ReadAsync(string kind, string name, CancellationToken cancellationToken = default)
    {
        if (!IsValidKind(kind) || !IsValidName(name)) throw new ArgumentException("not an archive name");
        try
        {
            var content = await container.GetBlobClient($"{kind}/{name}").DownloadContentAsync(cancellationToken);
            await using var gzip = new GZipStream(content.Value.Content.ToStream(), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}

public sealed record ArchiveInfo(string Kind, string Name, long Size, DateTimeOffset? CreatedAt);
