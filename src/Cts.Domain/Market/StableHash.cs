using System.Text;

namespace Cts.Domain.Market;

/// <summary>
/// Hashing that is the same on every node, process and restart (unlike <see cref="string.GetHashCode()"/>):
/// FNV-1a for strings, SplitMix64 to mix integers.
/// </summary>
public static class StableHash
{
    public static ulong Of(string text)
    {
        var hash = 14695981039346656037UL;
        // Symbols are short and hashed on every quote: encode them on the stack, not into a new array.
        var length = Encoding.UTF8.GetByteCount(text);
        Span<byte> bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(text, bytes);
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    public static ulong Mix(ulong a, ulong b) => SplitMix(a ^ SplitMix(b + 0x9E3779B97F4A7C15UL));

    public static ulong Mix(ulong a, ulong b, ulong c) => Mix(Mix(a, b), c);

    /// <summary>A uniform double in (0, 1) from a hash.</summary>
    public static double Unit(ulong hash) => ((hash >> 11) + 0.5) / (1UL << 53);

    /// <summary>A standard normal deviate from a hash (Box–Muller on two derived uniforms).</summary>
    public static double Normal(ulong hash)
    {
        var u1 = Unit(SplitMix(hash));
        var u2 = Unit(SplitMix(hash ^ 0xD1B54A32D192ED03UL));
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
