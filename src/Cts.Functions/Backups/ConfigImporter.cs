using System.Text.Json;
using Azure.Data.Tables;
using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Domain.Engines;
using Cts.Functions.Engines;
using Cts.Functions.Storage;

namespace Cts.Functions.Backups;

/// <summary>What an import or restore did (or, in a dry run, would do) to one item.</summary>
public sealed record ImportItem(string Kind, string Id, string Outcome);

/// <summary>
/// The result of an import or restore. <see cref="BlockedBy"/> names the engines whose connection would change while
/// they are active; a real import is refused (409) when it is not empty.
/// </summary>
public sealed record ImportReport(bool DryRun, bool Applied, IReadOnlyList<ImportItem> Items, IReadOnlyList<string> BlockedBy, string? BackupBefore);

/// <summary>
/// Applies a <see cref="ConfigSnapshot"/> through the stores: every write is conditional on the ETag just read, so a
/// concurrent change is reported as <c>conflict</c> instead of overwritten. Import and restore only create and update:
/// a stored item the document does not mention is reported as <c>kept</c>, never deleted.
/// </summary>
public sealed class ConfigImporter(
    ConnectionStore connections, PresetStore presets, SettingsStore settings, EngineRecords engines, IGrainFactory grains,
    ConfigSnapshotter snapshotter, TimeProvider time)
{
    public const string Created = "created", Updated = "updated", Unchanged = "unchanged", Kept = "kept", Conflict = "conflict";

    /// <summary>Engine states during which a connection must not change under the engine.</summary>
    public static readonly string[] BlockingStates = [nameof(EngineState.Running), nameof(EngineState.Paused), nameof(EngineState.Initializing)];

    private static readonly JsonSerializerOptions Json = ConfigSnapshot.Json;

    public async Task<ImportReport> ApplyAsync(ConfigSnapshot document, string operation, bool dryRun, string actor, CancellationToken cancellationToken = default)
    {
        var storedConnections = (await connections.ListAllAsync(cancellationToken)).ToDictionary(c => c.Value.Id, StringComparer.Ordinal);
        var storedPresets = (await presets.ListAllAsync(cancellationToken)).ToDictionary(p => p.Value.Id, StringComparer.Ordinal);
        var storedSettings = await settings.GetAsync(cancellationToken);

        var plan = new List<(ImportItem Item, Func<Task<bool>> Write)>();
        var now = time.GetUtcNow();
        foreach (var incoming in document.Connections ?? [])
        {
            if (!storedConnections.TryGetValue(incoming.Id, out var stored))
            {
                var created = incoming with { Version = Math.Max(1, incoming.Version) };
                plan.Add((new("connection", incoming.Id, Created), async () =>
                    (await connections.CreateAsync(created, cancellationToken)).Outcome == WriteOutcome.Written));
            }
            else if (Same(Normalize(incoming), Normalize(stored.Value)))
            {
                plan.Add((new("connection", incoming.Id, Unchanged), () => Task.FromResult(true)));
            }
            else
            {
                var updated = incoming with { Version = stored.Value.Version + 1, CreatedAt = stored.Value.CreatedAt, UpdatedAt = now };
                plan.Add((new("connection", incoming.Id, Updated), async () =>
                    (await connections.ReplaceAsync(updated, stored.ETag, cancellationToken)).Outcome == WriteOutcome.Written));
            }
        }
        foreach (var id in storedConnections.Keys.Except((document.Connections ?? []).Select(c => c.Id), StringComparer.Ordinal))
        {
            plan.Add((new("connection", id, Kept), () => Task.FromResult(true)));
        }
        var changedPresets = new List<string>();
        foreach (var incoming in document.Presets ?? [])
        {
            if (!storedPresets.TryGetValue(incoming.Id, out var stored))
            {
                var created = incoming with { Version = Math.Max(1, incoming.Version), UpdatedAt = incoming.UpdatedAt ?? now };
                plan.Add((new("preset", incoming.Id, Created), async () =>
                    (await presets.CreateAsync(created, cancellationToken)).Outcome == WriteOutcome.Written));
                changedPresets.Add(incoming.Id);
            }
            else if (Same(incoming with { Version = 0, UpdatedAt = null }, stored.Value with { Version = 0, UpdatedAt = null }))
            {
                plan.Add((new("preset", incoming.Id, Unchanged), () => Task.FromResult(true)));
            }
            else
            {
                var updated = incoming with { Version = stored.Value.Version + 1, UpdatedAt = now };
                plan.Add((new("preset", incoming.Id, Updated), async () =>
                    (await presets.ReplaceAsync(updated, stored.ETag, cancellationToken)).Outcome == WriteOutcome.Written));
                changedPresets.Add(incoming.Id);
            }
        }
        foreach (var id in storedPresets.Keys.Except((document.Presets ?? []).Select(p => p.Id), StringComparer.Ordinal))
        {
            plan.Add((new("preset", id, Kept), () => Task.FromResult(true)));
        }
        var settingsChanged = false;
        if (document.Settings is { } incomingSettings)
        {
            if (storedSettings is not null && Same(incomingSettings, storedSettings.Value))
            {
                plan.Add((new("settings", "engine", Unchanged), () => Task.FromResult(true)));
            }
            else
            {
                settingsChanged = true;
                plan.Add((new("settings", "engine", storedSettings is null ? Created : Updated), async () =>
                    (await settings.SaveAsync(incomingSettings, storedSettings?.ETag, cancellationToken)).Outcome == WriteOutcome.Written));
            }
        }

        var states = (await engines.AllAsync(cancellationToken)).ToDictionary(e => e.Key, e => e.Value.State, StringComparer.Ordinal);
        var changing = plan.Where(p => p.Item is { Kind: "connection", Outcome: Created or Updated }).Select(p => p.Item.Id).ToHashSet(StringComparer.Ordinal);
        var blocked = changing.Where(id => states.TryGetValue(id, out var state) && BlockingStates.Contains(state))
            .Order(StringComparer.Ordinal).ToList();

        if (dryRun || blocked.Count > 0)
        {
            return new ImportReport(dryRun, false, plan.Select(p => p.Item).ToList(), blocked, null);
        }

        // The configuration as it was, so an import or restore can itself be undone.
        var before = await snapshotter.TakeAsync($"before-{operation}", cancellationToken);
        var items = new List<ImportItem>();
        foreach (var (item, write) in plan)
        {
            items.Add(await write() ? item : item with { Outcome = Conflict });
        }

        // Like every other configuration change, the result is snapshotted too.
        if (items.Any(i => i.Outcome is Created or Updated))
        {
            await snapshotter.TryTakeAsync(operation, cancellationToken);
        }

        // Engines that run with a changed preset or the settings learn it the usual way (restart required / auto restart).
        var reasons = new List<string>();
        if (settingsChanged) reasons.Add("settings changed");
        var presetOf = document.Connections?.ToDictionary(c => c.Id, c => c.PresetId ?? Preset.DefaultId, StringComparer.Ordinal) ?? [];
        foreach (var c in storedConnections.Values) presetOf.TryAdd(c.Value.Id, c.Value.PresetId ?? Preset.DefaultId);
        foreach (var (id, state) in states.Where(s => s.Value is nameof(EngineState.Running) or nameof(EngineState.Paused)))
        {
            var why = new List<string>(reasons);
            if (presetOf.TryGetValue(id, out var presetId) && changedPresets.Contains(presetId)) why.Add("preset changed");
            if (why.Count > 0)
            {
                await grains.GetGrain<IEngineGrain>(id).ConfigChanged(new ConfigChange(why.ToArray(), actor));
            }
        }
        return new ImportReport(false, true, items, [], before);
    }

    private static Connection Normalize(Connection c) => c with { Version = 0, CreatedAt = default, UpdatedAt = default };

    /// <summary>Value equality through JSON (records with lists compare lists by reference).</summary>
    private static bool Same<T>(T a, T b) =>
        JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json);
}
