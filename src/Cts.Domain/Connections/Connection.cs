namespace Cts.Domain.Connections;

/// <summary>
/// An exchange account (SPEC §2), as configured by an operator. Owned by the config tables; the engine reads it
/// when it initializes and remembers which <see cref="Version"/> it runs with.
/// </summary>
public sealed record Connection(
    string Id,
    string Name,
    string Exchange,
    IReadOnlyList<string> Symbols,
    string? PresetId,
    bool Testnet,
    bool AutoStart,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    StoredCredentials? Credentials = null);
