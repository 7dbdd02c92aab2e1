using System.Security.Cryptography;
using System.Text;

namespace Cts.Domain.Exchanges.Binance;

/// <summary>
/// Signing of Binance SIGNED (TRADE and USER_DATA) requests (rest-api.md, "SIGNED (TRADE and USER_DATA) Endpoint
/// security"): the signature is the hex HMAC-SHA256, keyed with the API secret, of <c>totalParams</c> — the query
/// string concatenated with the request body, with nothing between them.
/// </summary>
public static class BinanceSignature
{
    /// <summary>The exact text that is signed: <paramref name="queryString"/> followed by <paramref name="body"/>.</summary>
    public static string Payload(string queryString, string body) => queryString + body;

    /// <summary>Lowercase hex HMAC-SHA256 of <paramref name="payload"/> with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, string payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(payload);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload));
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// True when <paramref name="signature"/> is the signature of <paramref name="payload"/> (the comparison ignores
    /// case, as the documentation says the signature is not case sensitive, and takes constant time).
    /// </summary>
    public static bool Verify(string secret, string payload, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, payload));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>
    /// A query string from ordered parameters, each name and value percent-encoded (RFC 3986 unreserved characters
    /// stay as they are), joined with <c>&amp;</c>. The order is kept: the signature covers the exact text sent.
    /// </summary>
    public static string Query(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var text = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }
            text.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return text.ToString();
    }
}
