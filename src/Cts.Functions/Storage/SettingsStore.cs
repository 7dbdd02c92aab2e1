using Cts.Domain.Config;

namespace Cts.Functions.Storage;

/// <summary>
/// The settings document: one row, ETag-guarded. Engines read it through <see cref="CurrentAsync"/>, which caches it
/// for a few seconds so a bulk start does not read it once per engine; a change made on this node is seen at once,
/// on other nodes within <see cref="CacheFor"/>.
/// </summary>
public sealed class SettingsStore(CtsTables tables, TimeProvider time)
{
    public const string TableName = "settings";
    private const string Id = "engine";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly DocumentStore<EngineSettings> _documents = new(tables, TableName, "settings");
    private Snapshot? _cached; // a reference, so readers on other threads never see half an update

    /// <summary>The stored settings with their ETag, or null when none were ever stored (the defaults apply).</summary>
    public Task<Versioned<EngineSettings>?> GetAsync(CancellationToken cancellationToken = default) =>
        _documents.GetAsync(Id, cancellationToken);

    /// <summary>The settings in force, at most <see cref="CacheFor"/> old.</summary>
    public async Task<EngineSettings> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var cached = _cached;
        if (cached is not null && time.GetUtcNow() - cached.ReadAt < CacheFor)
        {
            return cached.Settings;
        }
        var settings = (await GetAsync(cancellationToken))?.Value ?? EngineSettings.Defaults;
        _cached = new Snapshot(settings, time.GetUtcNow());
        return settings;
    }

    /// <summary>Stores new settings if the stored ones still have <paramref name="ifMatch"/> (null: only when none are stored yet).</summary>
    public async Task<(WriteOutcome Outcome, string? ETag)> SaveAsync(EngineSettings settings, string? ifMatch,
        CancellationToken cancellationToken = default)
    {
        var result = ifMatch is null
            ? await _documents.CreateAsync(Id, settings, cancellationToken)
            : await _documents.ReplaceAsync(Id, settings, ifMatch, cancellationToken);
        if (result.Outcome == WriteOutcome.Written)
        {
            _cached = new Snapshot(settings, time.GetUtcNow());
        }
        return result;
    }

    private sealed record Snapshot(EngineSettings Settings, DateTimeOffset ReadAt);
}
