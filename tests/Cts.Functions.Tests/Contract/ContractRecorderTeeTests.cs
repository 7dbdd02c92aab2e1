using System.Text;

namespace Cts.Functions.Tests.Contract;

/// <summary>
/// The recorder's copy of a response body holds what reached the client, once: a write that failed (the client went
/// away) and is sent again by the closing flush is not recorded twice.
/// </summary>
public sealed class ContractRecorderTeeTests
{
    [Fact]
    public async Task A_write_that_failed_and_was_sent_again_is_recorded_once()
    {
        var client = new FlakyStream(failures: 1);
        var tee = new ContractRecorder.TeeStream(client, 1024);
        var body = Encoding.UTF8.GetBytes("{\"status\":409}");

        await Assert.ThrowsAsync<IOException>(async () => await tee.WriteAsync(body));
        await tee.WriteAsync(body); // the pipe's closing flush sends the same bytes again

        Assert.Equal("{\"status\":409}", Encoding.UTF8.GetString(tee.Captured));
        Assert.Equal(body, client.ToArray());
    }

    [Fact]
    public void Synchronous_writes_are_recorded_once_they_went_through_and_past_the_limit_as_truncated()
    {
        var client = new FlakyStream(failures: 1);
        var tee = new ContractRecorder.TeeStream(client, 4);

        Assert.Throws<IOException>(() => tee.Write("abc"u8.ToArray(), 0, 3));
        tee.Write("abcdef"u8.ToArray(), 0, 6);

        Assert.Equal("abcd", Encoding.UTF8.GetString(tee.Captured));
        Assert.True(tee.Truncated);
    }

    /// <summary>A client connection whose first writes fail as a reset connection does.</summary>
    private sealed class FlakyStream(int failures) : MemoryStream
    {
        private int _failures = failures;

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_failures-- > 0)
            {
                throw new IOException("the client reset the connection");
            }
            base.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_failures-- > 0)
            {
                throw new IOException("the client reset the connection");
            }
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
