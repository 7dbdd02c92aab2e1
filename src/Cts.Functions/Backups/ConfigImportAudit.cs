using Cts.Domain.Audit;
using Cts.Functions.Config;
using Cts.Functions.Storage;

namespace Cts.Functions.Backups;

/// <summary>Where an import's document came from: the request body, or a named backup being restored.</summary>
public sealed record ConfigSource(string Operation, string? Backup)
{
    public static ConfigSource Import() => new("import", null);

    public static ConfigSource Restore(string backup) => new("restore", backup);

    /// <summary>"import", or "restore of backup {name}", for audit reasons.</summary>
    public override string ToString() => Backup is null ? Operation : $"{Operation} of backup {Backup}";
}

/// <summary>One item an import or restore wrote, with the names (never the values) of the fields it changed.</summary>
public sealed record AppliedChange(ImportItem Item, IReadOnlyList<string> ChangedFields);

/// <summary>
/// Records an import or restore in the audit trail the way other configuration changes are recorded: the caller as
/// actor, field names only. One entry per written item under its usual action (<c>connection.create|update</c> in the
/// connection's own partition, <c>preset.create|update</c>, <c>settings.update</c>), each naming the source, and one
/// <c>config.import|restore</c> entry that summarises the whole operation (or its refusal).
/// </summary>
public sealed class ConfigImportAudit(AuditLog audit, TimeProvider time)
{
    /// <summary>Item ids listed per group in the summary; the per-item entries carry them all.</summary>
    public const int MaxIdsPerGroup = 20;

    public async Task RecordAppliedAsync(ConfigSource source, Caller caller, IReadOnlyList<AppliedChange> written,
        IReadOnlyList<ImportItem> conflicts, string? backupBefore, CancellationToken cancellationToken = default)
    {
        foreach (var change in written)
        {
            await RecordItemAsync(source, caller, change, cancellationToken);
        }
        var parts = new List<string> { source.ToString() };
        parts.AddRange(written.GroupBy(w => (w.Item.Kind, w.Item.Outcome)).Select(g => Group(g.Key.Kind, g.Key.Outcome, g.Select(w => w.Item.Id))));
        parts.AddRange(conflicts.GroupBy(c => c.Kind).Select(g => Group(g.Key, "changed meanwhile, not written", g.Select(c => c.Id))));
        if (written.Count == 0) parts.Add("nothing changed");
        if (backupBefore is not null) parts.Add($"backup before: {backupBefore}");
        await AppendAsync(caller, $"config.{source.Operation}", "", string.Join("; ", parts),
            written.Count > 0 ? AuditOutcomes.Changed : AuditOutcomes.NoOp, cancellationToken);
    }

    /// <summary>
    /// The entry the item's own API would write: a connection's in its partition, a preset's and the settings' in the
    /// global one ("preset {id}: …", as the presets API writes), the settings always as <c>settings.update</c>.
    /// </summary>
    private Task RecordItemAsync(ConfigSource source, Caller caller, AppliedChange change, CancellationToken cancellationToken)
    {
        var (item, fields) = change;
        var verb = item.Outcome == ConfigImporter.Created && item.Kind != "settings" ? "create" : "update";
        var connectionId = item.Kind == "connection" ? item.Id : "";
        var subject = item.Kind == "preset" ? $"preset {item.Id}: " : "";
        return AppendAsync(caller, $"{item.Kind}.{verb}", connectionId, $"{subject}{ChangedFields.Describe(fields)} ({source})",
            AuditOutcomes.Changed, cancellationToken);
    }

    /// <summary>An import or restore refused because active engines' connections would change.</summary>
    public Task RecordRefusedAsync(ConfigSource source, Caller caller, IReadOnlyList<string> blockedBy, CancellationToken cancellationToken = default) =>
        AppendAsync(caller, $"config.{source.Operation}", "", $"{source}; refused: active engines would change: {List(blockedBy)}",
            AuditOutcomes.Refused, cancellationToken);

    private static string Group(string kind, string outcome, IEnumerable<string> ids) =>
        kind == "settings" ? $"settings {outcome}" : $"{kind} {outcome}: {List(ids.ToList())}";

    private static string List(IReadOnlyList<string> ids) => ids.Count <= MaxIdsPerGroup
        ? string.Join(", ", ids)
        : $"{string.Join(", ", ids.Take(MaxIdsPerGroup))} and {ids.Count - MaxIdsPerGroup} more";

    private Task AppendAsync(Caller caller, string action, string connectionId, string reason, string outcome, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry(time.GetUtcNow(), caller.Actor, action, connectionId, null, null, reason, outcome, caller.CorrelationId),
            cancellationToken);
}
