namespace Cts.Functions.Exchanges.Binance;

/// <summary>Configuration of the Binance spot venue (<c>Exchanges:Binance</c>, SPEC §7).</summary>
public sealed class BinanceOptions
{
    public const string Section = "Exchanges:Binance";

    /// <summary>The spot REST base URL of live accounts.</summary>
    public string BaseUrl { get; set; } = "https://api.binance.com";

    /// <summary>The spot REST base URL used when a connection has <c>testnet: true</c>.</summary>
    public string TestnetBaseUrl { get; set; } = "https://testnet.binance.vision";

    /// <summary><c>recvWindow</c> of signed requests: how long after its timestamp the venue may still accept one (at most 60000).</summary>
    public int RecvWindowMs { get; set; } = 5000;

    /// <summary>How long one book-ticker answer serves every engine on the node that trades the symbol.</summary>
    public int QuoteMaxAgeMs { get; set; } = 1000;

    /// <summary>How long the symbols' rules (exchangeInfo) are kept before they are read again.</summary>
    public int SymbolRulesMaxAgeSeconds { get; set; } = 600;

    /// <summary>How long a measured server-time offset is trusted before it is measured again.</summary>
    public int TimeSyncSeconds { get; set; } = 300;

    /// <summary>The base URL a connection trades on.</summary>
    public string BaseUrlFor(bool testnet) => (testnet ? TestnetBaseUrl : BaseUrl).TrimEnd('/');
}
