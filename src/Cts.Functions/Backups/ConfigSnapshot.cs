using System.Text.Json;
using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Functions.Api;

namespace Cts.Functions.Backups;

/// <summary>
/// The whole configuration at one moment: connections (credentials exactly as stored, i.e. encrypted, never
/// decrypted), presets and the settings document (null when none was ever stored). It is both the backup format and
/// the export/import document.
/// </summary>
public sealed record ConfigSnapshot(
    int Format,
    DateTimeOffset TakenAt,
    string Reason,
    IReadOnlyList<Connection> Connections,
    IReadOnlyList<Preset> Presets,
    EngineSettings? Settings)
{
    public const int CurrentFormat = 1;

    /// <summary>How snapshots are written to and read from blobs: the API's conventions.</summary>
    public static JsonSerializerOptions Json => ApiJson.Strict;
}
