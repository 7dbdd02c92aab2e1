using System.Collections.Concurrent;
using Cts.Domain.Config;

namespace Cts.Functions.Storage;

/// <summary>
/// The presets table: one document per preset, ETag-guarded. The built-in default applies until one named
/// <c>default</c> is stored. Engines resolve their preset through <see cref="ResolveAsync"/>, which caches each for
/// <see cref="CacheFor"/> (as <see cref="SettingsStore"/> does) so a bulk start or a recovery of thousands of engines
/// does not read the same row thousands of times; a change made on this node is seen at once, on other nodes within
/// <see cref="CacheFor"/>.
/// </summary>
public sealed class PresetStore(CtsTables tables, TimeProvider time)
{
    public const string TableName = "presets";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly DocumentStore<Preset> _documents = new(tables, TableName, "preset");
    private readonly ConcurrentDictionary<string, Resolved> _resolved = new(StringComparer.Ordinal);

    public Task<Versioned<Preset>?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _documents.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<Versioned<Preset>>> ListAllAsync(CancellationToken cancellationToken = default) =>
        _documents.ListAllAsync(cancellationToken);

    /// <summary>The preset a connection trades with: the stored one, the built-in default for <c>default</c> or none, else null.</summary>
    public async Task<Preset?> ResolveAsync(string? presetId, CancellationToken cancellationToken = default)
    {
        var id = presetId ?? Preset.DefaultId;
        if (_resolved.TryGetValue(id, out var cached) && time.GetUtcNow() - cached.ReadAt < CacheFor)
        {
            return cached.Preset;
        }
        var stored = await GetAsync(id, cancellationToken);
        var preset = stored?.Value ?? (id == Preset.DefaultId ? Preset.Default : null);
        _resolved[id] = new Resolved(preset, time.GetUtcNow());
        return preset;
    }

    public async Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(Preset preset, CancellationToken cancellationToken = default) =>
        Forget(preset.Id, await _documents.CreateAsync(preset.Id, preset, cancellationToken));

    public async Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(Preset preset, string ifMatch, CancellationToken cancellationToken = default) =>
        Forget(preset.Id, await _documents.ReplaceAsync(preset.Id, preset, ifMatch, cancellationToken));

    public async Task<WriteOutcome> DeleteAsync(string id, string ifMatch, CancellationToken cancellationToken = default) =>
        Forget(id, await _documents.DeleteAsync(id, ifMatch, cancellationToken));

    /// <summary>Drops the cached preset after a write on this node, whatever its outcome, so the next read goes to the table.</summary>
    private T Forget<T>(string id, T result)
    {
        _resolved.TryRemove(id, out _);
        return result;
    }

    private sealed record Resolved(Preset? Preset, DateTimeOffset ReadAt);
}
