using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Cts.Functions.Engines;

/// <summary>
/// The entity tag of a status-all page: the first 32 hex digits of the SHA-256 of <c>{id}:{version};</c> for every
/// engine on the page, then <c>next:{continuation id}</c>. Hashed as it goes, so a page of a thousand engines builds no
/// string of them; the tag changes whenever anything on the page does.
/// </summary>
public sealed class PageTag : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Add(string id, long version)
    {
        var size = Encoding.UTF8.GetMaxByteCount(id.Length) + 22;
        Span<byte> buffer = size <= 512 ? stackalloc byte[512] : new byte[size];
        var length = Encoding.UTF8.GetBytes(id, buffer);
        buffer[length++] = (byte)':';
        Utf8Formatter.TryFormat(version, buffer[length..], out var digits);
        length += digits;
        buffer[length++] = (byte)';';
        _hash.AppendData(buffer[..length]);
    }

    /// <summary>The quoted tag, after the page's continuation id (none: empty).</summary>
    public string Finish(string? next)
    {
        _hash.AppendData("next:"u8);
        if (next is not null)
        {
            _hash.AppendData(Encoding.UTF8.GetBytes(next));
        }
        Span<byte> digest = stackalloc byte[32];
        _hash.GetHashAndReset(digest);
        return $"\"{Convert.ToHexStringLower(digest)[..32]}\"";
    }

    public void Dispose() => _hash.Dispose();
}
