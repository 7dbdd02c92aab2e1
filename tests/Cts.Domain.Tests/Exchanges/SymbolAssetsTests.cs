using Cts.Domain.Exchanges;

namespace Cts.Domain.Tests.Exchanges;

public sealed class SymbolAssetsTests
{
    [Theory]
    [InlineData("BTCUSDT", "USDT")]
    [InlineData("ETHBTC", "BTC")]
    [InlineData("BTCFDUSD", "FDUSD")]
    [InlineData("BNBETH", "ETH")]
    [InlineData("SOLUSDC", "USDC")]
    public void The_quote_asset_is_the_longest_known_suffix(string symbol, string asset) => Assert.Equal(asset, SymbolAssets.QuoteOf(symbol));

    [Theory]
    [InlineData("USDT")]
    [InlineData("FOOBAR")]
    [InlineData("")]
    public void A_symbol_that_cannot_be_split_has_no_known_quote_asset(string symbol) => Assert.Null(SymbolAssets.QuoteOf(symbol));
}
