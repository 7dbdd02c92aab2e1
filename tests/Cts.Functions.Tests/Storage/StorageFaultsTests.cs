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
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tells_an_outage_from_an_answer(string what, Exception exception, bool unavailable) =>
        Assert.True(StorageFaults.IsUnavailable(exception) == unavailable, $"{what}: expected unavailable = {unavailable}");
}
