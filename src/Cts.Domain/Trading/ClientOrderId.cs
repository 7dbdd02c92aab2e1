using System.Globalization;
using System.Text;
using Cts.Domain.Market;

namespace Cts.Domain.Trading;

/// <summary>
/// Deterministic client order ids. An id derived from the signal (not random) makes order placement idempotent: a
/// retry after a timeout, or a second node acting on the same candle, sends the same id, and the exchange refuses the
/// duplicate instead of opening a second position.
/// </summary>
/// <remarks>
/// Format: "cts-" + 26 lowercase base32 characters (RFC 4648 alphabet) of a 128-bit hash: 30 characters, within
/// Binance's <c>^[a-zA-Z0-9-_]{1,36}$</c>. The hash is two independent 64-bit <see cref="StableHash"/> digests of the
/// inputs (different prefixes, so a collision of one says nothing about the other), each passed through a bijective
/// mixer. Strings are length-prefixed so ("ab","c") and ("a","bc") cannot meet, and the time is taken in UTC ticks so
/// the same instant in another offset gives the same id.
/// </remarks>
public static class ClientOrderId
{
    public const string Prefix = "cts-";
    public const int Length = 30;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The id of the order acting on the signal of <paramref name="signalTime"/> for (connection, symbol, side).</summary>
    public static string For(string connectionId, string symbol, DateTimeOffset signalTime, OrderSide side)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        if (!Enum.IsDefined(side))
        {
            throw new ArgumentOutOfRangeException(nameof(side), side, "unknown side");
        }
        var key = new StringBuilder()
            .Append("order|")
            .Append(connectionId.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(connectionId).Append('|')
            .Append(symbol.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(symbol).Append('|')
            .Append(signalTime.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('|')
            .Append(side == OrderSide.Buy ? "buy" : "sell")
            .ToString();
        return FromKey(key);
    }

    /// <summary>
    /// The id of an entry an operator forced (<c>POST /api/engines/{id}/positions</c>) for (connection, symbol), keyed by
    /// the request's <paramref name="requestKey"/> (its <c>Idempotency-Key</c>, else its correlation id): the same
    /// request retried gives the same id, so it can never open a second position; another request gives another id.
    /// </summary>
    public static string ForOperatorEntry(string connectionId, string symbol, string requestKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        ArgumentException.ThrowIfNullOrEmpty(requestKey);
        var key = new StringBuilder()
            .Append("operator-entry|")
            .Append(connectionId.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(connectionId).Append('|')
            .Append(symbol.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(symbol).Append('|')
            .Append(requestKey.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(requestKey)
            .ToString();
        return FromKey(key);
    }

    /// <summary>
    /// The id of the order that closes the position entered with <paramref name="entryClientOrderId"/>. A position
    /// closes once whatever triggers it (stop, take-profit, signal, manual), so its exit id hangs off its entry id.
    /// </summary>
    public static string ForExit(string entryClientOrderId)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryClientOrderId);
        return FromKey("exit|" + entryClientOrderId);
    }

    /// <summary>True when <paramref name="id"/> has the shape this class produces.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: Length } && id.StartsWith(Prefix, StringComparison.Ordinal)
        && id.AsSpan(Prefix.Length).IndexOfAnyExcept(Alphabet) < 0;

    private static string FromKey(string key)
    {
        var high = StableHash.Mix(StableHash.Of("cts-coid-a|" + key), 1);
        var low = StableHash.Mix(StableHash.Of("cts-coid-b|" + key), 2);
        var value = ((UInt128)high << 64) | low;
        Span<char> chars = stackalloc char[Length];
        Prefix.CopyTo(chars);
        // 26 × 5 = 130 bits: the first character carries only the top 3 bits of the 128.
        for (var i = Length - 1; i >= Prefix.Length; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }
}
