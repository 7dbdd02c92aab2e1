namespace Cts.Domain.Connections;

/// <summary>What a client sends to create or replace a connection, before validation.</summary>
public sealed record ConnectionDraft(
    string? Id,
    string? Name,
    string? Exchange,
    IReadOnlyList<string>? Symbols,
    string? PresetId,
    bool? Testnet,
    bool? AutoStart,
    CredentialsDraft? Credentials = null);

/// <summary>Credentials as a client sends them: plaintext, validated, then encrypted by the host and never shown again.</summary>
public sealed record CredentialsDraft(string? ApiKey, string? ApiSecret);
