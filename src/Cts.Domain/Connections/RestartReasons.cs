namespace Cts.Domain.Connections;

/// <summary>
/// Which changes to a connection make a running engine's configuration stale. A renamed connection keeps running as
/// it is; new credentials, symbols, venue or preset need a restart to take effect.
/// </summary>
public static class RestartReasons
{
    public const string CredentialsChanged = "credentials changed";
    public const string SymbolsChanged = "symbols changed";
    public const string PresetChanged = "preset changed";
    public const string ExchangeChanged = "exchange changed";

    public static IReadOnlyList<string> Between(Connection before, Connection after, bool credentialsChanged)
    {
        var reasons = new List<string>();
        if (credentialsChanged)
        {
            reasons.Add(CredentialsChanged);
        }
        if (!before.Symbols.SequenceEqual(after.Symbols, StringComparer.Ordinal))
        {
            reasons.Add(SymbolsChanged);
        }
        if (before.PresetId != after.PresetId)
        {
            reasons.Add(PresetChanged);
        }
        if (before.Exchange != after.Exchange || before.Testnet != after.Testnet)
        {
            reasons.Add(ExchangeChanged);
        }
        return reasons;
    }
}
