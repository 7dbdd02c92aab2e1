using System.Text.RegularExpressions;
using Cts.Domain.Config;

namespace Cts.Domain.Connections;

/// <summary>Validates a <see cref="ConnectionDraft"/> field by field, so a client gets every problem at once.</summary>
public static partial class ConnectionValidator
{
    /// <summary>Venues an engine can trade on: the embedded paper market and Binance spot.</summary>
    public static readonly IReadOnlyList<string> Exchanges = ["paper", "binance"];

    public const int MaxSymbols = 20;
    public const int MaxNameLength = 100;

    /// <summary>Errors per field (camelCase names as on the wire); empty when the draft is valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(ConnectionDraft draft)
    {
        var errors = new FieldErrors();
        if (!ConnectionId.IsValid(draft.Id))
        {
            errors.Add("id", $"must match {ConnectionId.Pattern}");
        }
        if (string.IsNullOrWhiteSpace(draft.Name))
        {
            errors.Add("name", "is required");
        }
        else if (draft.Name.Length > MaxNameLength)
        {
            errors.Add("name", $"must be at most {MaxNameLength} characters");
        }
        if (draft.Exchange is null || !Exchanges.Contains(draft.Exchange))
        {
            errors.Add("exchange", $"must be one of: {string.Join(", ", Exchanges)}");
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

    // "\z", not "$": "$" also matches before a final "\n", which would let "BTCUSDT\n" through.
    /// <summary>Venues that cannot trade without credentials.</summary>
    public static bool RequiresCredentials(string exchange) => exchange != "paper";

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

    [GeneratedRegex(@"^[A-Z0-9]{2,20}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolRegex();
}
