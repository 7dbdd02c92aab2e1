using Cts.Domain.Audit;
using Cts.Domain.Config;
using Cts.Functions.Storage;

namespace Cts.Functions.Config;

/// <summary>
/// The settings document's commands: read it (the defaults until the first write, with the <see cref="EntityTags.Unstored"/>
/// tag), replace it under <c>If-Match</c> after <see cref="SettingsValidator"/>, and record the changed fields.
/// </summary>
public sealed class SettingsService(SettingsStore store, AuditLog audit, TimeProvider time)
{
    public async Task<ConfigResult<EngineSettings>> GetAsync()
    {
        var stored = await store.GetAsync();
        return new(ConfigOutcome.Ok, stored?.Value ?? EngineSettings.Defaults, stored?.ETag);
    }

    /// <summary>Replaces the settings (PUT, and PATCH once its patch is applied); <paramref name="ifMatch"/> is an <c>If-Match</c> value.</summary>
    public async Task<ConfigResult<EngineSettings>> ReplaceAsync(EngineSettings draft, string? ifMatch, Caller caller)
    {
        var errors = SettingsValidator.Validate(draft);
        if (errors.Count > 0)
        {
            return ConfigResult<EngineSettings>.Invalid(errors);
        }
        var current = await store.GetAsync();
        if (!EntityTags.IfMatchAllows(ifMatch, current?.ETag))
        {
            return ConfigResult<EngineSettings>.Stale();
        }
        var changed = ChangedFields.Between(current?.Value ?? EngineSettings.Defaults, draft);
        if (changed.Count == 0 && current is not null)
        {
            // Nothing to change: nothing is written, the ETag stays, and the audit says so.
            await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), caller.Actor, "settings.update", "", null, null,
                ChangedFields.Describe(changed), AuditOutcomes.NoOp, caller.CorrelationId));
            return new(ConfigOutcome.Ok, current.Value, current.ETag);
        }
        var (outcome, etag) = await store.SaveAsync(draft, current?.ETag);
        if (outcome != WriteOutcome.Written)
        {
            return ConfigResult<EngineSettings>.Stale();
        }
        await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), caller.Actor, "settings.update", "", null, null,
            ChangedFields.Describe(changed), AuditOutcomes.Changed, caller.CorrelationId));
        return new(ConfigOutcome.Ok, draft, etag);
    }
}
