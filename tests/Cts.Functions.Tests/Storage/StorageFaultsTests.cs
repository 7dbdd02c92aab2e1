using Azure;
using Cts.Functions.Storage;

namespace Cts.Functions.Tests.Storage;

/// <summary>What counts as a storage outage (retried, degraded, served from memory) and what is an answer or the caller's own cancellation.</summary>
public sealed class StorageFaultsTests
{
    public static TheoryData<string, Exception, bool> Cases => new()
    {
        { "the caller cancelled", new OperationCanceledException(), false },
        { "the caller cancelled (task)", new TaskCanceledException(), false },
        { "503", new RequestFailedException(503, "Service Unavailable"), true },
        { "no response", new RequestFailedException(0, "no response"), true },
        { "412", new RequestFailedException(412, "Precondition Failed"), false },
        { "refused connection", new HttpRequestException("Connection refused"), true },
        { "wrapped refusal", new InvalidOperationException("outer", new HttpRequestException("Connection refused")), true },
        { "a bug", new InvalidOperationException("not storage"), false },
        // What the storage client throws when every try hit its network timeout, and how the grain storage wraps it.
        { "every try timed out", TriesTimedOut(), true },
        { "every try timed out, wrapped by the grain storage", new Orleans.Runtime.OrleansException("Error from storage provider", TriesTimedOut()), true },
        { "a try timed out, another met a bug", new AggregateException(new TaskCanceledException(), new InvalidOperationException("not storage")), false },
    };

    private static AggregateException TriesTimedOut() => new("Retry failed after 4 tries.",
        Enumerable.Range(0, 4).Select(_ => new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:05.")));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tells_an_outage_from_an_answer(string what, Exception exception, bool unavailable) =>
        Assert.True(StorageFaults.IsUnavailable(exception) == unavailable, $"{what}: expected unavailable = {unavailable}");
}
