namespace Cts.Domain.Exchanges;

/// <summary>What every <see cref="IPaperLedger"/> implementation shares: the starting balances and how deltas combine.</summary>
public static class PaperLedger
{
    /// <summary>The quote balance (USDT) a paper account starts with unless configured otherwise.</summary>
    public const decimal DefaultStartingQuoteBalance = 10_000m;

    /// <summary>The balance <paramref name="asset"/> has before any trade: the starting balance for the quote asset, else 0.</summary>
    public static decimal StartingBalance(string asset, decimal startingQuoteBalance) =>
        string.Equals(asset, PaperExchange.QuoteAsset, StringComparison.Ordinal) ? startingQuoteBalance : 0m;

    /// <summary>
    /// The quote delta and base deltas as one map asset → change, summed per asset (a base delta keyed by the quote
    /// asset adds to the quote delta) and without zero changes, in ordinal asset order.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, decimal>> Deltas(decimal quoteDelta, IReadOnlyDictionary<string, decimal> baseDeltas)
    {
        ArgumentNullException.ThrowIfNull(baseDeltas);
        var deltas = new SortedDictionary<string, decimal>(StringComparer.Ordinal) { [PaperExchange.QuoteAsset] = quoteDelta };
        foreach (var (asset, delta) in baseDeltas)
        {
            if (string.IsNullOrWhiteSpace(asset))
            {
                throw new ArgumentException("asset names must not be blank", nameof(baseDeltas));
            }
            deltas[asset] = deltas.GetValueOrDefault(asset) + delta;
        }
        return deltas.Where(d => d.Value != 0m).ToList();
    }
}
