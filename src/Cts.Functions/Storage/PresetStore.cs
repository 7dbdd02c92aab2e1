using Cts.Domain.Config;

namespace Cts.Functions.Storage;

/// <summary>The presets table: one document per preset, ETag-guarded. The built-in default applies until one named <c>default</c> is stored.</summary>
public sealed class PresetStore(CtsTables tables)
{
    public const string TableName = "presets";

    private readonly DocumentStore<Preset> _documents = new(tables, TableName, "preset");

    public Task<Versioned<Preset>?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _documents.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<Versioned<Preset>>> ListAllAsync(CancellationToken cancellationToken = default) =>
        _documents.ListAllAsync(cancellationToken);

    /// <summary>The preset a connection trades with: the stored one, the built-in default for <c>default</c> or none, else null.</summary>
    public async Task<Preset?> ResolveAsync(string? presetId, CancellationToken cancellationToken = default)
    {
        var id = presetId ?? Preset.DefaultId;
        var stored = await GetAsync(id, cancellationToken);
        return stored?.Value ?? (id == Preset.DefaultId ? Preset.Default : null);
    }

    public Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(Preset preset, CancellationToken cancellationToken = default) =>
        _documents.CreateAsync(preset.Id, preset, cancellationToken);

    public Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(Preset preset, string ifMatch, CancellationToken cancellationToken = default) =>
        _documents.ReplaceAsync(preset.Id, preset, ifMatch, cancellationToken);

    public Task<WriteOutcome> DeleteAsync(string id, string ifMatch, CancellationToken cancellationToken = default) =>
        _documents.DeleteAsync(id, ifMatch, cancellationToken);
}
