using System.Net;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Live;

/// <summary>The server-sent event stream: transitions in order, and nothing missed across a reconnect.</summary>
public sealed class EventsApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    private async Task<(HttpResponseMessage Response, SseReader Reader)> ConnectAsync(long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString());
        }
        var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return (response, new SseReader(await response.Content.ReadAsStreamAsync()));
    }

    private static string[] States(IEnumerable<SseReader.Event> events, string id) => events
        .Where(e => e.Type == "engine-state" && e.Data["connectionId"]!.GetValue<string>() == id)
        .Select(e => e.Data["data"]!["state"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task A_client_receives_the_transitions_of_an_engine_it_starts_in_order()
    {
        var (response, reader) = await ConnectAsync();
        using (response)
        using (reader)
        {
            await Client.StartPaperEngineAsync("sse1");

            var events = await reader.UntilAsync(e => e.Type == "engine-state" && e.Data["data"]!["state"]!.GetValue<string>() == "Running",
                TimeSpan.FromSeconds(10));

            Assert.Equal(["Enabled", "Initializing", "Running"], States(events, "sse1"));
            Assert.Equal(events.Select(e => e.Id).Order(), events.Select(e => e.Id));
            var health = await reader.UntilAsync(e => e.Type == "engine-health", TimeSpan.FromSeconds(10));
            Assert.Equal("sse1", health[^1].Data["connectionId"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Reconnecting_with_Last_Event_ID_delivers_what_happened_while_away()
    {
        long last;
        var (response, reader) = await ConnectAsync();
        using (response)
        using (reader)
        {
            await Client.StartPaperEngineAsync("sse2");
            last = (await reader.UntilAsync(e => e.Type == "engine-state" && e.Data["data"]!["state"]!.GetValue<string>() == "Running",
                TimeSpan.FromSeconds(10)))[^1].Id;
        }

        (await Client.PostAsync("/api/engines/sse2/pause", null)).EnsureSuccessStatusCode();
        (await Client.PostAsync("/api/engines/sse2/stop", null)).EnsureSuccessStatusCode();

        var (again, replay) = await ConnectAsync(last);
        using (again)
        using (replay)
        {
            var missed = await replay.UntilAsync(e => e.Type == "engine-state" && e.Data["data"]!["state"]!.GetValue<string>() == "Stopped",
                TimeSpan.FromSeconds(10));
            Assert.Equal(["Paused", "Stopping", "Stopped"], States(missed, "sse2"));
            Assert.All(missed, e => Assert.True(e.Id > last));
        }
    }

    [Fact]
    public async Task The_event_stream_needs_a_key()
    {
        using var anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/events")).StatusCode);
    }
}
