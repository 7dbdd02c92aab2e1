namespace Cts.Domain.Connections;

/// <summary>
/// What a client sends to create or replace a connection, before validation. <see cref="Credentials"/> absent keeps
/// the stored ones on a replace; <see cref="RemoveCredentials"/> (a merge patch's <c>"credentials": null</c>) drops them.
/// </summary>
public sealed record ConnectionDraft(
    string? Id,
    string? Name,
    string? Exchange,
    IReadOnlyList<string>? Symbols,
    string? PresetId,
    bool? Testnet,
    bool? AutoStart,
    CredentialsDraft? Credentials = null,
    bool RemoveCredentials = false)
{
    /// <summary>A stored connection as a draft, without its (encrypted) credentials.</summary>
    public static ConnectionDraft From(Connection c) =>
        new(c.Id, c.Name, c.Exchange, c.Symbols, c.PresetId, c.Testnet, c.AutoStart);
}

/// <summary>Credentials as a client sends them: plaintext, validated, then encrypted by the host and never shown again.</summary>
public sealed record CredentialsDraft(string? ApiKey, string? ApiSecret);

/// <summary>What validating a connection needs to know from the stored configuration.</summary>
/// <param name="PresetExists">Whether a preset id names a preset (stored, built in, or created by the same import).</param>
/// <param name="HasStoredCredentials">Whether the connection being replaced already has credentials.</param>
public sealed record ConnectionContext(Func<string, bool> PresetExists, bool HasStoredCredentials);
