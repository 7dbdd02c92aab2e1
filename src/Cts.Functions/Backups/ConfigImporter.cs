using System.Text.Json;
using Azure.Data.Tables;
using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Domain.Engines;
using Cts.Functions.Config;
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
/// a stored item the document does not mention is reported as <c>kept</c>, never deleted. A real import or restore,
/// applied or refused, is audited with the caller as actor (<see cref="ConfigImportAudit"/>); a dry run writes nothing.
/// Every item is validated first (<see cref="ConfigDocumentValidator"/>): a document with any invalid item is refused
/// whole, dry run or not, and nothing is written.
/// </summary>
public sealed class ConfigImporter(
    ConnectionStore connections, PresetStore presets, SettingsStore settings, EngineRecords engines, IGrainFactory grains,
    ConfigSnapshotter snapshotter, ConfigImportAudit audit, TimeProvider time)
{
    public const string Created = "created", Updated = "updated", Unchanged = "unchanged", Kept = "kept", Conflict = "conflict";

    /// <summary>Engine states during which a connection must not change under the engine.</summary>
    public static readonly string[] BlockingStates = [nameof(EngineState.Running), nameof(EngineState.Paused), nameof(EngineState.Initializing)];

    private static readonly JsonSerializerOptions Json = ConfigSnapshot.Json;

    /// <summary>One item of the plan: what it will be, the fields it changes (names only), and the conditional write.</summary>
    private sealed record PlannedWrite(ImportItem Item, IReadOnlyList<string> ChangedFields, Func<Task<bool>> Write)
    {
        public static PlannedWrite Nothing(string kind, string id, string outcome) => new(new(kind, id, outcome), [], () => Task.FromResult(true));
    }

    /// <summary>The report of what was (or would be) done, or <see cref="ConfigOutcome.Invalid"/> with errors per item and field.</summary>
    public async Task<ConfigResult<ImportReport>> ApplyAsync(ConfigSnapshot document, ConfigSource source, bool dryRun, Caller caller,
        CancellationToken cancellationToken = default)
    {
        var storedPresets = (await presets.ListAllAsync(cancellationToken)).ToDictionary(p => p.Value.Id, StringComparer.Ordinal);
        var errors = ConfigDocumentValidator.Validate(document, storedPresets.Keys);
        if (errors.Count > 0)
        {
            return ConfigResult<ImportReport>.Invalid(errors);
        }
        var storedConnections = (await connections.ListAllAsync(cancellationToken)).ToDictionary(c => c.Value.Id, StringComparer.Ordinal);
        var storedSettings = await settings.GetAsync(cancellationToken);

        var plan = new List<PlannedWrite>();
        var now = time.GetUtcNow();
        foreach (var incoming in document.Connections ?? [])
        {
            if (!storedConnections.TryGetValue(incoming.Id, out var stored))
            {
                var created = incoming with { Version = Math.Max(1, incoming.Version) };
                plan.Add(new(new("connection", incoming.Id, Created), ConnectionFields(null, created), async () =>
                    (await connections.CreateAsync(created, cancellationToken)).Outcome == WriteOutcome.Written));
            }
            else if (Same(Normalize(incoming), Normalize(stored.Value)))
            {
                plan.Add(PlannedWrite.Nothing("connection", incoming.Id, Unchanged));
            }
            else
            {
                var updated = incoming with { Version = stored.Value.Version + 1, CreatedAt = stored.Value.CreatedAt, UpdatedAt = now };
                plan.Add(new(new("connection", incoming.Id, Updated), ConnectionFields(stored.Value, updated), async () =>
                    (await connections.ReplaceAsync(updated, stored.ETag, cancellationToken)).Outcome == WriteOutcome.Written));
            }
        }
        foreach (var id in storedConnections.Keys.Except((document.Connections ?? []).Select(c => c.Id), StringComparer.Ordinal))
        {
            plan.Add(PlannedWrite.Nothing("connection", id, Kept));
        }
        var changedPresets = new List<string>();
        foreach (var incoming in document.Presets ?? [])
        {
            if (!storedPresets.TryGetValue(incoming.Id, out var stored))
            {
                var created = incoming with { Version = Math.Max(1, incoming.Version), UpdatedAt = incoming.UpdatedAt ?? now };
                plan.Add(new(new("preset", incoming.Id, Created), ChangedFields.Between(null, created, "version", "updatedAt"), async () =>
                    (await presets.CreateAsync(created, cancellationToken)).Outcome == WriteOutcome.Written));
                changedPresets.Add(incoming.Id);
            }
            else if (Same(incoming with { Version = 0, UpdatedAt = null }, stored.Value with { Version = 0, UpdatedAt = null }))
            {
                plan.Add(PlannedWrite.Nothing("preset", incoming.Id, Unchanged));
            }
            else
            {
                var updated = incoming with { Version = stored.Value.Version + 1, UpdatedAt = now };
                plan.Add(new(new("preset", incoming.Id, Updated), ChangedFields.Between(stored.Value, updated, "version", "updatedAt"), async () =>
                    (await presets.ReplaceAsync(updated, stored.ETag, cancellationToken)).Outcome == WriteOutcome.Written));
                changedPresets.Add(incoming.Id);
            }
        }
        foreach (var id in storedPresets.Keys.Except((document.Presets ?? []).Select(p => p.Id), StringComparer.Ordinal))
        {
            plan.Add(PlannedWrite.Nothing("preset", id, Kept));
        }
        var settingsChanged = false;
        if (document.Settings is { } incomingSettings)
        {
            if (storedSettings is not null && Same(incomingSettings, storedSettings.Value))
            {
                plan.Add(PlannedWrite.Nothing("settings", "engine", Unchanged));
            }
            else
            {
                settingsChanged = true;
                plan.Add(new(new("settings", "engine", storedSettings is null ? Created : Updated),
                    ChangedFields.Between(storedSettings?.Value ?? EngineSettings.Defaults, incomingSettings), async () =>
                    (await settings.SaveAsync(incomingSettings, storedSettings?.ETag, cancellationToken)).Outcome == WriteOutcome.Written));
            }
        }

        var states = (await engines.AllAsync(cancellationToken)).ToDictionary(e => e.Key, e => e.Value.State, StringComparer.Ordinal);
        var changing = plan.Where(p => p.Item is { Kind: "connection", Outcome: Created or Updated }).Select(p => p.Item.Id).ToHashSet(StringComparer.Ordinal);
        var blocked = changing.Where(id => states.TryGetValue(id, out var state) && BlockingStates.Contains(state))
            .Order(StringComparer.Ordinal).ToList();

        if (dryRun)
        {
            return Report(new ImportReport(true, false, plan.Select(p => p.Item).ToList(), blocked, null));
        }
        if (blocked.Count > 0)
        {
            await audit.RecordRefusedAsync(source, caller, blocked, cancellationToken);
            return Report(new ImportReport(false, false, plan.Select(p => p.Item).ToList(), blocked, null));
        }

        // The configuration as it was, so an import or restore can itself be undone.
        var before = await snapshotter.TakeAsync($"before-{source.Operation}", cancellationToken);
        var items = new List<ImportItem>();
        var written = new List<AppliedChange>();
        foreach (var (item, fields, write) in plan)
        {
            var ok = await write();
            items.Add(ok ? item : item with { Outcome = Conflict });
            if (ok && item.Outcome is Created or Updated) written.Add(new AppliedChange(item, fields));
        }
        await audit.RecordAppliedAsync(source, caller, written, items.Where(i => i.Outcome == Conflict).ToList(), before, cancellationToken);

        // Like every other configuration change, the result is snapshotted too.
        if (written.Count > 0)
        {
            await snapshotter.TryTakeAsync(source.Operation, cancellationToken);
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
                await grains.GetGrain<IEngineGrain>(id).ConfigChanged(new ConfigChange(why.ToArray(), caller.Actor, caller.CorrelationId));
            }
        }
        return Report(new ImportReport(false, true, items, [], before));
    }

    private static ConfigResult<ImportReport> Report(ImportReport report) => new(ConfigOutcome.Ok, report);

    /// <summary>The names of the connection fields that differ; credentials by name only, compared as stored (encrypted).</summary>
    private static IReadOnlyList<string> ConnectionFields(Connection? before, Connection after)
    {
        var fields = ChangedFields.Between(before is null ? null : before with { Credentials = null }, after with { Credentials = null },
            before is null ? [] : ["version", "createdAt", "updatedAt"]).ToList();
        if (after.Credentials != before?.Credentials)
        {
            fields.Add("credentials");
        }
        return fields.Order(StringComparer.Ordinal).ToList();
    }

    private static Connection Normalize(Connection c) => c with { Version = 0, CreatedAt = default, UpdatedAt = default };

    /// <summary>Value equality through JSON (records with lists compare lists by reference).</summary>
    private static bool Same<T>(T a, T b) =>
        JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json);
}
