using Cts.Domain.Audit;
using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Functions.Engines;
using Cts.Functions.Storage;

namespace Cts.Functions.Config;

/// <summary>
/// Preset commands: validate, write with ETags, audit by field name, tell the running engines of every connection
/// that trades with a changed preset, and refuse to delete a preset that connections still name.
/// </summary>
public sealed class PresetService(PresetStore store, ConnectionStore connections, EngineService engines, AuditLog audit, TimeProvider time)
{
    public async Task<ConfigResult<Preset>> GetAsync(string id)
    {
        var stored = await store.GetAsync(id);
        if (stored is not null)
        {
            return new(ConfigOutcome.Ok, stored.Value, stored.ETag);
        }
        return id == Preset.DefaultId ? new(ConfigOutcome.Ok, Preset.Default) : ConfigResult<Preset>.NotFound();
    }

    /// <summary>Every preset, the built-in default included unless a stored one replaces it.</summary>
    public async Task<IReadOnlyList<Preset>> ListAsync()
    {
        var stored = (await store.ListAllAsync()).Select(p => p.Value).ToList();
        if (stored.All(p => p.Id != Preset.DefaultId))
        {
            stored.Insert(0, Preset.Default);
        }
        return stored.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<ConfigResult<Preset>> CreateAsync(Preset draft, Caller caller)
    {
        var errors = PresetValidator.Validate(draft);
        if (errors.Count > 0)
        {
            return ConfigResult<Preset>.Invalid(errors);
        }
        var preset = draft with { Version = 1, UpdatedAt = time.GetUtcNow() };
        var (outcome, etag) = await store.CreateAsync(preset);
        if (outcome == WriteOutcome.AlreadyExists)
        {
            return new(ConfigOutcome.AlreadyExists, Detail: $"A preset '{preset.Id}' exists; PUT replaces it.");
        }
        await RecordAsync(caller, "preset.create", ChangedFields.Describe(ChangedFields.Between(null, preset, "version", "updatedAt")), preset.Id);
        return new(ConfigOutcome.Created, preset, etag);
    }

    /// <summary>Replaces a preset (PUT, and PATCH once its patch is applied); <paramref name="ifMatch"/> is an <c>If-Match</c> value.</summary>
    public async Task<ConfigResult<Preset>> ReplaceAsync(string id, Preset draft, string? ifMatch, Caller caller)
    {
        var errors = PresetValidator.Validate(draft with { Id = id });
        if (errors.Count > 0)
        {
            return ConfigResult<Preset>.Invalid(errors);
        }
        var stored = await store.GetAsync(id);
        if (stored is null && id != Preset.DefaultId)
        {
            return ConfigResult<Preset>.NotFound();
        }
        if (!EntityTags.IfMatchAllows(ifMatch, stored?.ETag))
        {
            return ConfigResult<Preset>.Stale();
        }
        var before = stored?.Value ?? Preset.Default;
        var preset = draft with { Id = id, Version = before.Version + 1, UpdatedAt = time.GetUtcNow() };
        var changed = ChangedFields.Between(before, preset, "version", "updatedAt");
        if (changed.Count == 0 && stored is not null)
        {
            // Nothing to change: nothing is written, the version and ETag stay, and the audit says so.
            await RecordAsync(caller, "preset.update", ChangedFields.Describe(changed), id, AuditOutcomes.NoOp);
            return new(ConfigOutcome.Ok, stored.Value, stored.ETag);
        }
        var (outcome, etag) = stored is null ? await store.CreateAsync(preset) : await store.ReplaceAsync(preset, stored.ETag);
        if (outcome != WriteOutcome.Written)
        {
            return ConfigResult<Preset>.Stale();
        }
        await RecordAsync(caller, "preset.update", ChangedFields.Describe(changed), id,
            changed.Count == 0 ? AuditOutcomes.NoOp : AuditOutcomes.Changed);
        if (preset.TradesDifferentlyFrom(before))
        {
            foreach (var connection in await UsersAsync(id))
            {
                await engines.Engine(connection).ConfigChanged(new ConfigChange([RestartReasons.PresetChanged], caller.Actor, caller.CorrelationId));
            }
        }
        return new(ConfigOutcome.Ok, preset, etag);
    }

    public async Task<ConfigResult<Preset>> DeleteAsync(string id, string? ifMatch, Caller caller)
    {
        var stored = await store.GetAsync(id);
        if (stored is null)
        {
            return ConfigResult<Preset>.NotFound();
        }
        if (!EntityTags.IfMatchAllows(ifMatch, stored.ETag))
        {
            return ConfigResult<Preset>.Stale();
        }
        var users = id == Preset.DefaultId ? [] : await UsersAsync(id);
        if (users.Count > 0)
        {
            return new(ConfigOutcome.Conflict, Detail: $"connections use this preset: {string.Join(", ", users)}");
        }
        var outcome = await store.DeleteAsync(id, stored.ETag);
        if (outcome == WriteOutcome.PreconditionFailed)
        {
            return ConfigResult<Preset>.Stale();
        }
        await RecordAsync(caller, "preset.delete", "deleted", id);
        return new(ConfigOutcome.Deleted, stored.Value);
    }

    /// <summary>The connections that trade with preset <paramref name="id"/> (those naming none use the default).</summary>
    private async Task<IReadOnlyList<string>> UsersAsync(string id) =>
        (await connections.ListAllAsync())
            .Where(c => (c.Value.PresetId ?? Preset.DefaultId) == id)
            .Select(c => c.Value.Id)
            .ToList();

    private Task RecordAsync(Caller caller, string action, string reason, string presetId, string outcome = AuditOutcomes.Changed) =>
        audit.AppendAsync(new AuditEntry(time.GetUtcNow(), caller.Actor, action, "", null, null, $"preset {presetId}: {reason}",
            outcome, caller.CorrelationId));
}
