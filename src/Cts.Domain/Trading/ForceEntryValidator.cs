using Cts.Domain.Config;

namespace Cts.Domain.Trading;

/// <summary>
/// Validates an operator's forced entry (<c>{ "symbol", "quoteAmount"? }</c>) against the connection it is for: the
/// symbol must be one the connection trades, and the amount, when given, greater than 0 and at most
/// <see cref="MaxQuoteAmount"/> (a typo guard: an extra zero should be refused, not bought).
/// </summary>
public static class ForceEntryValidator
{
    public const decimal MaxQuoteAmount = 1_000_000m;
    public const int MaxReasonLength = 500;

    /// <summary>Errors per field (camelCase names as on the wire); empty when the entry is valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(string? symbol, decimal? quoteAmount, string? reason,
        IReadOnlyCollection<string> connectionSymbols)
    {
        ArgumentNullException.ThrowIfNull(connectionSymbols);
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(symbol))
        {
            errors.Add("symbol", "is required");
        }
        else if (!connectionSymbols.Contains(symbol, StringComparer.Ordinal))
        {
            errors.Add("symbol", $"must be one of the connection's symbols: {string.Join(", ", connectionSymbols)}");
        }
        if (quoteAmount is { } amount && (amount <= 0 || amount > MaxQuoteAmount))
        {
            errors.Add("quoteAmount", $"must be greater than 0 and at most {MaxQuoteAmount}");
        }
        if (reason is { Length: > MaxReasonLength })
        {
            errors.Add("reason", $"at most {MaxReasonLength} characters");
        }
        return errors.ToDictionary();
    }
}
