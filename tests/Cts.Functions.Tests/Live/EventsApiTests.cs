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

    [Theory]
    [InlineData("1")]     // an id from before this host started (ids start at its start time)
    [InlineData("abc")]   // not an id at all
    public async Task Reconnecting_with_an_id_the_stream_cannot_replay_from_starts_with_a_reset_then_replays_the_window(string lastEventId)
    {
        await Client.StartPaperEngineAsync("sse3");
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync());

        var reset = await reader.NextAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("reset", reset.Type);
        Assert.Equal("unknown-event-id", reset.Data["reason"]!.GetValue<string>());
        Assert.Equal("/api/engines", reset.Data["reload"]!.GetValue<string>());
        var replay = await reader.UntilAsync(e => e.Type == "engine-state" && e.Data["data"]!["state"]!.GetValue<string>() == "Running",
            TimeSpan.FromSeconds(10));
        Assert.Equal(["Enabled", "Initializing", "Running"], States(replay, "sse3"));
        Assert.All(replay, e => Assert.True(e.Id > reset.Id));
        Assert.Equal(reset.Data["oldestEventId"]!.GetValue<long>(), replay[0].Id);

        // Resuming from the reset's own id replays the same window, without another reset.
        var (again, resumed) = await ConnectAsync(reset.Id);
        using (again)
        using (resumed)
        {
            var first = await resumed.NextAsync(TimeSpan.FromSeconds(10));
            Assert.NotEqual("reset", first.Type);
            Assert.Equal(replay[0].Id, first.Id);
        }
    }

    [Fact]
    public async Task The_event_stream_needs_a_key()
    {
        using var anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/events")).StatusCode);
    }
}
