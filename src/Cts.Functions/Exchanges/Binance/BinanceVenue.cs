using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cts.Domain.Connections;
using Cts.Domain.Exchanges;
using Cts.Functions.Security;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Exchanges.Binance;

/// <summary>
/// What every connection of the node on one Binance base URL shares: the HTTP sender with its weight budget and
/// server clock, the symbols' rules and the market data polls.
/// </summary>
public sealed class BinanceVenue(BinanceHttp http, BinanceSymbolRules rules, BinanceMarketData marketData)
{
    public BinanceHttp Http { get; } = http;
    public BinanceSymbolRules Rules { get; } = rules;
    public BinanceMarketData MarketData { get; } = marketData;
}

/// <summary>
/// The node's Binance venues, one per base URL (live and testnet), built on first use and kept for the life of the
/// process; and the factory of a connection's <see cref="BinanceExchange"/>, with its credentials decrypted.
/// Register as a singleton.
/// </summary>
public sealed class BinanceVenues(IHttpClientFactory clients, IOptions<BinanceOptions> options, SecretProtector secrets, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Lazy<BinanceVenue>> _venues = new(StringComparer.OrdinalIgnoreCase);

    public BinanceOptions Options => options.Value;

    /// <summary>The shared venue of <paramref name="baseUrl"/>.</summary>
    public BinanceVenue For(string baseUrl) => _venues.GetOrAdd(baseUrl, url => new Lazy<BinanceVenue>(() =>
    {
        var http = new BinanceHttp(clients, url, time, options.Value);
        return new BinanceVenue(http,
            new BinanceSymbolRules(http, time, TimeSpan.FromSeconds(Math.Max(1, options.Value.SymbolRulesMaxAgeSeconds))),
            new BinanceMarketData(http, time, TimeSpan.FromMilliseconds(Math.Max(0, options.Value.QuoteMaxAgeMs))));
    })).Value;

    /// <summary>The exchange of <paramref name="connection"/> (testnet or live by its <c>testnet</c> flag).</summary>
    public IExchange Create(Connection connection)
    {
        if (connection.Credentials is not { } stored)
        {
            throw new ExchangeException(ExchangeFaultKind.CredentialsRejected, "binance: the connection has no API key and secret");
        }
        BinanceCredentials credentials;
        try
        {
            credentials = new BinanceCredentials(secrets.Unprotect(stored.ProtectedApiKey), secrets.Unprotect(stored.ProtectedApiSecret));
        }
        catch (CryptographicException e)
        {
            throw new ExchangeException(ExchangeFaultKind.CredentialsRejected,
                "binance: the stored credentials cannot be decrypted with this node's key ring; set them again", e);
        }
        return new BinanceExchange(For(options.Value.BaseUrlFor(connection.Testnet)), connection.Symbols, credentials, time);
    }
}
