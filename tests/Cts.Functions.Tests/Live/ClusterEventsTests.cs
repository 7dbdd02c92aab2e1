using System.Net;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Live;

/// <summary>
/// Two real host processes forming one cluster (membership in Azure Tables): a client of either node sees the live
/// events of every engine, whichever node hosts it.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class ClusterEventsTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> Cluster = new() { ["Orleans__Membership"] = "AzureTable" };
    private static readonly string[] EngineIds = ["node-a", "node-b", "node-c", "node-d", "node-e", "node-f"];

    [Fact]
    public async Task A_client_of_either_node_receives_the_transitions_of_every_engine_in_the_cluster()
    {
        var prefix = azurite.NewPrefix();
        await using var first = new HostProcess(azurite.ConnectionString, prefix, settings: Cluster);
        await using var second = new HostProcess(azurite.ConnectionString, prefix, settings: Cluster);
        await first.StartAsync();
        await second.StartAsync();
        // Each node's relay has found the other (the directory answers the later one at once, the earlier one at its next heartbeat).
        await Eventually.UntilAsync(() => Task.FromResult(first.OutputContains("Live-event relay: 1 other nodes")
                && second.OutputContains("Live-event relay: 1 other nodes")),
            TimeSpan.FromSeconds(30), "both nodes see each other on the relay", () => first.OutputTail(30) + second.OutputTail(30));

        using var fromFirst = await ConnectAsync(first.Client);
        using var fromSecond = await ConnectAsync(second.Client);
        await first.Client.StartEagerEnginesAsync(EngineIds);

        // Six engines cannot all be hosted by both nodes: whatever the placement, each stream depends on the relay
        // for the engines of the other node, so a node-local bus fails this for at least one of them.
        foreach (var (name, stream) in new[] { ("first", fromFirst), ("second", fromSecond) })
        {
            var running = new HashSet<string>();
            try
            {
                await stream.Reader.UntilAsync(e =>
                {
                    if (e.Type == "engine-state" && e.Data["data"]!["state"]!.GetValue<string>() == "Running")
                    {
                        running.Add(e.Data["connectionId"]!.GetValue<string>());
                    }
                    return running.SetEquals(EngineIds);
                }, TimeSpan.FromSeconds(30));
            }
            catch (OperationCanceledException)
            {
                // Reported below with what was seen.
            }
            Assert.True(running.SetEquals(EngineIds), $"{name} node saw Running for: {string.Join(", ", running)}"
                + Environment.NewLine + first.OutputTail(40) + Environment.NewLine + second.OutputTail(40));
        }
    }

    private static async Task<Stream> ConnectAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Stream(response, new SseReader(await response.Content.ReadAsStreamAsync()));
    }

    private sealed record Stream(HttpResponseMessage Response, SseReader Reader) : IDisposable
    {
        public void Dispose()
        {
            Reader.Dispose();
            Response.Dispose();
        }
    }
}
