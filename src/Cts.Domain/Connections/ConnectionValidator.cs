using System.Text.RegularExpressions;
using Cts.Domain.Config;
using Cts.Domain.Exchanges;

namespace Cts.Domain.Connections;

/// <summary>
/// The one validator of connections: create, PUT, PATCH, import and restore all go through it, field by field, so a
/// client gets every problem at once.
/// </summary>
public static partial class ConnectionValidator
{
    /// <summary>Venues an engine can trade on in this build (<see cref="ExchangeVenues"/>).</summary>
    public static IReadOnlyList<string> Exchanges => ExchangeVenues.Names;

    public const int MaxSymbols = 20;
    public const int MaxNameLength = 100;

    /// <summary>
    /// The fields a PUT must carry (it is a full replacement; a missing one is 400, never a silent reset). Not required:
    /// <c>id</c> (the URL's), <c>presetId</c> (absent or null: the default preset) and <c>credentials</c> (absent: the
    /// stored ones are kept).
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredOnReplace = ["name", "exchange", "symbols", "testnet", "autoStart"];

    /// <summary>
    /// Errors per field, with what only the stored configuration can tell: whether the preset exists and whether the
    /// connection already has credentials (a venue that needs them must have them).
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Validate(ConnectionDraft draft, ConnectionContext context)
    {
        var errors = new FieldErrors();
        errors.Merge("", Validate(draft));
        if (draft.PresetId is not null && ConnectionId.IsValid(draft.PresetId) && !context.PresetExists(draft.PresetId))
        {
            errors.Add("presetId", $"there is no preset '{draft.PresetId}'");
        }
        var hasCredentials = draft.Credentials is not null || (context.HasStoredCredentials && !draft.RemoveCredentials);
        if (ExchangeVenues.Find(draft.Exchange) is { RequiresCredentials: true } venue && !hasCredentials)
        {
            errors.Add("credentials", $"are required for {venue.Name}");
        }
        return errors.ToDictionary();
    }

    /// <summary>
    /// A connection as an import or a backup holds it (credentials encrypted): the same rules as a draft, and its
    /// stored credentials must be complete.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ValidateStored(Connection connection, Func<string, bool> presetExists)
    {
        var errors = new FieldErrors();
        errors.Merge("", Validate(ConnectionDraft.From(connection), new ConnectionContext(presetExists, connection.Credentials is not null)));
        if (connection.Credentials is { } stored)
        {
            if (string.IsNullOrEmpty(stored.ProtectedApiKey)) errors.Add("credentials.protectedApiKey", "is required");
            if (string.IsNullOrEmpty(stored.ProtectedApiSecret)) errors.Add("credentials.protectedApiSecret", "is required");
            if (stored.ApiKeyMasked is null || stored.ApiKeyMasked.Length > 64 || PlainText.HasControlCharacters(stored.ApiKeyMasked))
            {
                errors.Add("credentials.apiKeyMasked", "must be at most 64 characters of plain text");
            }
        }
        return errors.ToDictionary();
    }

    /// <summary>Errors per field (camelCase names as on the wire) that the draft alone shows; empty when it is valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(ConnectionDraft draft)
    {
        var errors = new FieldErrors();
        if (!ConnectionId.IsValid(draft.Id))
        {
            errors.Add("id", $"must match {ConnectionId.Pattern}");
        }
        PlainText.CheckName(errors, "name", draft.Name, MaxNameLength);
        var venue = ExchangeVenues.Find(draft.Exchange);
        if (venue is null)
        {
            errors.Add("exchange", $"must be one of: {string.Join(", ", Exchanges)}");
        }
        else if (draft.Testnet == true && !venue.HasTestnet)
        {
            errors.Add("testnet", $"{venue.Name} has no test network");
        }
        if (draft.Symbols is null || draft.Symbols.Count == 0)
        {
            errors.Add("symbols", "at least one symbol is required");
        }
        else
        {
            if (draft.Symbols.Count > MaxSymbols)
            {
                errors.Add("symbols", $"at most {MaxSymbols} symbols");
            }
            foreach (var symbol in draft.Symbols)
            {
                if (symbol is null || !SymbolRegex().IsMatch(symbol))
                {
                    errors.Add("symbols", $"'{symbol}' is not a symbol (uppercase letters and digits, 2–20, e.g. BTCUSDT)");
                }
            }
            if (draft.Symbols.Distinct(StringComparer.Ordinal).Count() != draft.Symbols.Count)
            {
                errors.Add("symbols", "symbols must be unique");
            }
        }
        if (draft.Credentials is not null)
        {
            CheckSecret(errors, "credentials.apiKey", draft.Credentials.ApiKey);
            CheckSecret(errors, "credentials.apiSecret", draft.Credentials.ApiSecret);
        }
        if (draft.PresetId is not null && !ConnectionId.IsValid(draft.PresetId))
        {
            errors.Add("presetId", $"must match {ConnectionId.Pattern}");
        }
        return errors.ToDictionary();
    }

    private static void CheckSecret(FieldErrors errors, string field, string? value)
    {
        // The message never repeats the value: it is a secret.
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, "is required");
        }
        else if (value.Length > MaxSecretLength || !SecretRegex().IsMatch(value))
        {
            errors.Add(field, $"must be 1–{MaxSecretLength} printable characters without spaces");
        }
    }

    public const int MaxSecretLength = 256;

    [GeneratedRegex(@"^[\x21-\x7E]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex SecretRegex();

    // "\z", not "$": "$" also matches before a final "\n", which would let "BTCUSDT\n" through.
    [GeneratedRegex(@"^[A-Z0-9]{2,20}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolRegex();
}
