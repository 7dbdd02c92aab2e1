namespace Cts.Domain.Exchanges;

/// <summary>
/// The quote asset of a spot symbol by its suffix (BTCUSDT → USDT, ETHBTC → BTC), for checking a balance before an
/// entry. Spot symbols carry no separator, so this knows the common quote assets and takes the longest that fits;
/// a symbol it cannot split gives null, and the venue's own balance check is then the only one.
/// </summary>
public static class SymbolAssets
{
    private static readonly string[] QuoteAssets =
        ["FDUSD", "USDT", "USDC", "TUSD", "BUSD", "DAI", "BTC", "ETH", "BNB", "EUR", "TRY", "BRL", "GBP", "JPY"];

    public static string? QuoteOf(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        string? best = null;
        foreach (var asset in QuoteAssets)
        {
            if (symbol.Length > asset.Length && symbol.EndsWith(asset, StringComparison.Ordinal) && asset.Length > (best?.Length ?? 0))
            {
                best = asset;
            }
        }
        return best;
    }
}
