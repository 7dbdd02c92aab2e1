namespace Cts.Functions.Api;

/// <summary>
/// A read-only view of a request body that fails with <see cref="LimitExceededException"/> as soon as more than
/// <c>limit</c> bytes were read, so a body streamed into a parser can never grow past the route's limit, whether or not
/// it declared its length.
/// </summary>
public sealed class BoundedStream(Stream inner, long limit) : Stream
{
    /// <summary>The body is longer than the limit: answer 413.</summary>
    public sealed class LimitExceededException() : IOException("the request body is larger than its limit");

    private byte[] _pushedBack = [];
    private int _pushedBackAt;

    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        FromPushedBack(buffer.AsSpan(offset, count)) is var n and > 0 ? n : Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        FromPushedBack(buffer.Span) is var n and > 0 ? n : Count(await inner.ReadAsync(buffer, cancellationToken));

    /// <summary>
    /// The first byte that is not JSON whitespace, or -1 for a body of whitespace only; everything read stays to be read
    /// again, so a parser still sees the whole body.
    /// </summary>
    public async Task<int> PeekFirstNonWhitespaceAsync(CancellationToken cancellationToken)
    {
        var seen = new MemoryStream();
        var one = new byte[1];
        try
        {
            while (await ReadAsync(one, cancellationToken) == 1)
            {
                seen.WriteByte(one[0]);
                if (one[0] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    return one[0];
                }
            }
            return -1;
        }
        finally
        {
            (_pushedBack, _pushedBackAt) = (seen.ToArray(), 0);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Reads what is left and drops it (still bounded), so the answer goes out on a connection that can be reused.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = new byte[64 * 1024];
        while (await ReadAsync(scratch, cancellationToken) > 0)
        {
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int FromPushedBack(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _pushedBack.Length - _pushedBackAt);
        _pushedBack.AsSpan(_pushedBackAt, n).CopyTo(buffer);
        _pushedBackAt += n;
        return n;
    }

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > limit)
        {
            throw new LimitExceededException();
        }
        return read;
    }
}
