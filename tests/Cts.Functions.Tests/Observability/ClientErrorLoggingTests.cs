using System.Net.Sockets;
using System.Text;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Observability;

/// <summary>
/// A client's fault is not a server failure: a request body that arrives too slowly (Kestrel's minimum data rate) is
/// answered 408 and logged once at Information without a stack trace, never at <c>fail</c>. The real host process,
/// because only Kestrel enforces the data rate.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ClientErrorLoggingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_body_too_slow_to_arrive_is_408_logged_at_information_without_a_stack_trace()
    {
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix());
        await host.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", host.Ports.Http);
        var stream = tcp.GetStream();
        var head = "POST /api/connections HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n"
            + $"X-Api-Key: {TestKeys.Admin}\r\nX-Correlation-Id: slow-body-1\r\n\r\n" + """{"id":"slow",""";

        // A few bytes of a 4 KiB body, then nothing: far below Kestrel's 240 bytes/s once its 5 s grace period is over.
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.FlushAsync();
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, reading.Token);
        var response = Encoding.ASCII.GetString(buffer, 0, read);

        Assert.StartsWith("HTTP/1.1 408", response, StringComparison.Ordinal);
        var refused = await Eventually.UntilAsync(
            () => Task.FromResult(host.Output.Split(Environment.NewLine).FirstOrDefault(l => l.Contains("Cts.Functions.ClientErrors", StringComparison.Ordinal))),
            line => line is not null, TimeSpan.FromSeconds(10), "the refusal is logged", () => host.OutputTail());
        Assert.Contains(" info: ", refused, StringComparison.Ordinal);
        Assert.Contains("POST /api/connections refused with 408", refused, StringComparison.Ordinal);
        Assert.Contains("slow-body-1", refused, StringComparison.Ordinal);
        Assert.False(host.OutputContains(" fail: "), host.OutputTail());
        Assert.False(host.OutputContains("BadHttpRequestException"), host.OutputTail());
        Assert.False(host.OutputContains("   at Microsoft.AspNetCore"), host.OutputTail());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/connections/slow")).StatusCode);
    }
}
