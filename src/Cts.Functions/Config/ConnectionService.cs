using Cts.Domain.Audit;
using Cts.Domain.Connections;
using Cts.Domain.Engines;
using Cts.Functions.Engines;
using Cts.Functions.Security;
using Cts.Functions.Storage;

namespace Cts.Functions.Config;

/// <summary>
/// Connection configuration commands: validate, encrypt credentials, write with ETags, record the change (field
/// names only) in the audit trail, and tell a running engine that its configuration is stale.
/// </summary>
public sealed class ConnectionService(
    ConnectionStore store, PresetStore presets, SecretProtector secrets, EngineService engines, AuditLog audit, TimeProvider time)
{
    public async Task<ConfigResult<Connection>> CreateAsync(ConnectionDraft draft, Caller caller)
    {
        var errors = await ValidateAsync(draft, existing: null);
        if (errors.Count > 0)
        {
            return ConfigResult<Connection>.Invalid(errors);
        }
        var now = time.GetUtcNow();
        var connection = new Connection(draft.Id!, draft.Name!, draft.Exchange!, draft.Symbols!, draft.PresetId,
            draft.Testnet ?? false, draft.AutoStart ?? false, Version: 1, now, now, Protect(draft.Credentials));
        var (outcome, etag) = await store.CreateAsync(connection);
        if (outcome == WriteOutcome.AlreadyExists)
        {
            return new(ConfigOutcome.AlreadyExists, Detail: $"A connection '{connection.Id}' exists; PUT replaces it.");
        }
        await RecordAsync(caller, "connection.create", connection.Id, FieldsOf(connection));
        return new(ConfigOutcome.Created, connection, etag);
    }

    /// <summary>
    /// Replaces a connection (PUT, and PATCH once its patch is applied). Credentials left out of <paramref name="draft"/>
    /// are kept, new ones replace the old, <see cref="ConnectionDraft.RemoveCredentials"/> drops them.
    /// <paramref name="ifMatch"/> is an <c>If-Match</c> value (<see cref="EntityTags.IfMatchAllows"/>).
    /// </summary>
    public async Task<ConfigResult<Connection>> ReplaceAsync(string id, ConnectionDraft draft, string? ifMatch, Caller caller)
    {
        var current = await store.GetAsync(id);
        if (current is null)
        {
            return ConfigResult<Connection>.NotFound();
        }
        var errors = await ValidateAsync(draft, current.Value);
        if (errors.Count > 0)
        {
            return ConfigResult<Connection>.Invalid(errors);
        }
        if (!EntityTags.IfMatchAllows(ifMatch, current.ETag))
        {
            return ConfigResult<Connection>.Stale();
        }
        var before = current.Value;
        var credentialsChanged = draft.Credentials is not null
            ? !SameCredentials(before.Credentials, draft.Credentials)
            : draft.RemoveCredentials && before.Credentials is not null;
        var replaced = before with
        {
            Name = draft.Name!,
            Exchange = draft.Exchange!,
            Symbols = draft.Symbols!,
            PresetId = draft.PresetId,
            Testnet = draft.Testnet ?? false,
            AutoStart = draft.AutoStart ?? false,
            Credentials = credentialsChanged ? Protect(draft.Credentials) : before.Credentials,
            Version = before.Version + 1,
            UpdatedAt = time.GetUtcNow(),
        };
        var changed = ChangedFields.Between(Redacted(before), Redacted(replaced), "version", "updatedAt").ToList();
        if (credentialsChanged)
        {
            changed.Add("credentials");
            changed.Sort(StringComparer.Ordinal);
        }
        if (changed.Count == 0)
        {
            // Nothing to change: nothing is written, the version and ETag stay, and the audit says so.
            await RecordAsync(caller, "connection.update", id, changed, AuditOutcomes.NoOp);
            return new(ConfigOutcome.Ok, before, current.ETag);
        }
        var (outcome, etag) = await store.ReplaceAsync(replaced, current.ETag);
        if (outcome != WriteOutcome.Written)
        {
            return outcome == WriteOutcome.NotFound ? ConfigResult<Connection>.NotFound() : ConfigResult<Connection>.Stale();
        }
        await RecordAsync(caller, "connection.update", id, changed);
        var reasons = RestartReasons.Between(before, replaced, credentialsChanged);
        await engines.Engine(id).ConfigChanged(new ConfigChange(reasons.ToArray(), caller.Actor, caller.CorrelationId, replaced.Version));
        return new(ConfigOutcome.Ok, replaced, etag);
    }

    /// <summary>
    /// Deletes a connection and its engine record. The engine refuses while it is active, and while it holds open
    /// positions unless <paramref name="closePositions"/>, in which case it closes them first through its normal exit
    /// path (exit reason <c>connection-deleted</c>). The closed positions stay in the history until retention archives them.
    /// </summary>
    public async Task<ConfigResult<Connection>> DeleteAsync(string id, string? ifMatch, bool closePositions, Caller caller)
    {
        var current = await store.GetAsync(id);
        if (current is null)
        {
            return ConfigResult<Connection>.NotFound();
        }
        if (!EntityTags.IfMatchAllows(ifMatch, current.ETag))
        {
            return ConfigResult<Connection>.Stale();
        }
        var removal = await engines.Engine(id).Execute(
            new EngineCommand(EngineAction.Delete.ToWire(), caller.Actor, "connection deleted", caller.CorrelationId, closePositions));
        if (removal is { Outcome: CommandOutcome.Conflict, OpenPositions: { } open })
        {
            return new(ConfigOutcome.Conflict, Detail: removal.Detail) { OpenPositions = open };
        }
        if (removal.Outcome == CommandOutcome.Conflict)
        {
            return new(ConfigOutcome.Conflict, Detail: $"stop the engine before deleting the connection ({removal.Detail})",
                EngineStatus: removal.Status);
        }
        var outcome = await store.DeleteAsync(id, current.ETag);
        if (outcome == WriteOutcome.PreconditionFailed)
        {
            return ConfigResult<Connection>.Stale();
        }
        // The engine's own "delete" audit entry records who removed it and from which state.
        return new(ConfigOutcome.Deleted, current.Value);
    }

    /// <summary>The plaintext credentials of a connection, for an exchange adapter; never for a response or a log.</summary>
    public (string ApiKey, string ApiSecret)? RevealCredentials(Connection connection) =>
        connection.Credentials is { } c ? Reveal(c) : null;

    private (string ApiKey, string ApiSecret) Reveal(StoredCredentials c) =>
        (secrets.Unprotect(c.ProtectedApiKey), secrets.Unprotect(c.ProtectedApiSecret));

    /// <summary>The connection validator, told whether the preset exists and whether the connection already has credentials.</summary>
    private async Task<IReadOnlyDictionary<string, string[]>> ValidateAsync(ConnectionDraft draft, Connection? existing)
    {
        var presetExists = draft.PresetId is { } presetId && ConnectionId.IsValid(presetId) && await presets.ResolveAsync(presetId) is not null;
        return ConnectionValidator.Validate(draft, new ConnectionContext(_ => presetExists, existing?.Credentials is not null));
    }

    private StoredCredentials? Protect(CredentialsDraft? draft) => draft is null
        ? null
        : new StoredCredentials(StoredCredentials.Mask(draft.ApiKey!), secrets.Protect(draft.ApiKey!), secrets.Protect(draft.ApiSecret!));

    private bool SameCredentials(StoredCredentials? stored, CredentialsDraft draft) =>
        stored is not null && Reveal(stored) == (draft.ApiKey, draft.ApiSecret);

    /// <summary>The connection without its encrypted credentials, for comparing versions (ciphertexts differ on every write).</summary>
    private static Connection Redacted(Connection c) => c with { Credentials = null };

    /// <summary>Every field a new connection sets, credentials by name when it has them (never their values).</summary>
    private static IReadOnlyList<string> FieldsOf(Connection created)
    {
        var fields = ChangedFields.Between(null, Redacted(created)).ToList();
        if (created.Credentials is not null)
        {
            fields.Add("credentials");
        }
        return fields.Order(StringComparer.Ordinal).ToList();
    }

    private Task RecordAsync(Caller caller, string action, string connectionId, IReadOnlyList<string> changed,
        string outcome = AuditOutcomes.Changed) =>
        audit.AppendAsync(new AuditEntry(time.GetUtcNow(), caller.Actor, action, connectionId, null, null,
            ChangedFields.Describe(changed), outcome, caller.CorrelationId));
}
