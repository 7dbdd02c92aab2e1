namespace Cts.Functions.Security;

/// <summary>
/// API keys from configuration (<c>Auth:ApiKeys:{n}:Name|Role|KeyHash</c>). Only the SHA-256 of a key is configured,
/// never the key, so configuration files and environment dumps do not leak working keys.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Auth";

    public List<ApiKeyEntry> ApiKeys { get; set; } = [];
}

public sealed class ApiKeyEntry
{
    /// <summary>Recorded as the actor in the audit trail.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>viewer</c>, <c>operator</c> or <c>admin</c>.</summary>
    public string Role { get; set; } = "";

    /// <summary>Lowercase hex SHA-256 of the key.</summary>
    public string KeyHash { get; set; } = "";
}
