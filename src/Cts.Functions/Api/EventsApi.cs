using System.Text.Json;
using Cts.Functions.Api.OpenApi;
using Cts.Functions.Live;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>
/// <c>GET /api/events</c>: server-sent events of the engines. A reconnecting client sends <c>Last-Event-ID</c> and
/// first receives what it missed (within the bus's window), then the live stream; a comment every 15 s keeps
/// proxies from closing an idle stream. When the window cannot say what the client missed (its id is older than the
/// window, or not one this node issued), the stream starts with a <c>reset</c> event: reload status-all, then go on
/// with the replay that follows.
/// </summary>
public static class EventsApi
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", Stream).WithTags("Live").RequireViewer()
            .WithName("streamEvents")
            .WithSummary("Server-sent events: engine-state, engine-health, position-opened, position-closed, alert, connection-created, connection-deleted, reset")
            .WithDescription("A `text/event-stream` that never ends. Each event has an `id`, an `event` type and `data`: a JSON object with "
                + "`connectionId`, `at` and the event's `data`. A client that reconnects sends the last id it saw in `Last-Event-ID` and "
                + "first receives what it missed from the replay window; when the id is older than the window (or from before a restart) "
                + "the stream starts with a `reset` event: reload status-all. A comment every 15 s keeps idle proxies open.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .WithHeaders(HeaderContract.LastEventId);
        return app;
    }

    public static async Task Stream(HttpContext http, EngineEventBus bus, Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var cancel = http.RequestAborted;
        var (missed, live, unsubscribe, gap) = bus.Subscribe(LastEventId(http.Request));
        try
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await http.Response.WriteAsync("retry: 2000\n\n", cancel);
            if (gap is not null)
            {
                await WriteResetAsync(http, gap, json.Value.SerializerOptions, cancel);
            }
            foreach (var item in missed)
            {
                await WriteAsync(http, item, json.Value.SerializerOptions, cancel);
            }
            await http.Response.Body.FlushAsync(cancel);
            while (!cancel.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                wait.CancelAfter(Heartbeat);
                try
                {
                    if (!await live.WaitToReadAsync(wait.Token))
                    {
                        return; // dropped for being too slow: the client reconnects with Last-Event-ID
                    }
                    while (live.TryRead(out var item))
                    {
                        await WriteAsync(http, item, json.Value.SerializerOptions, cancel);
                    }
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", cancel);
                }
                await http.Response.Body.FlushAsync(cancel);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        finally
        {
            unsubscribe();
        }
    }

    /// <summary>
    /// The client's <c>Last-Event-ID</c>: null when it sent none (a new stream), -1 when it sent one that is not an id
    /// of ours (which the bus treats as unknown, so the client is told to reset).
    /// </summary>
    private static long? LastEventId(HttpRequest request)
    {
        var header = request.Headers["Last-Event-ID"].ToString();
        if (header.Length == 0)
        {
            return null;
        }
        return long.TryParse(header, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : -1;
    }

    private static Task WriteResetAsync(HttpContext http, ReplayGap gap, JsonSerializerOptions options, CancellationToken cancel)
    {
        var data = JsonSerializer.Serialize(new
        {
            gap.Reason,
            gap.LastEventId,
            gap.OldestEventId,
            reload = "/api/engines",
        }, options);
        return http.Response.WriteAsync($"id: {gap.ResumeId}\nevent: {EngineEventTypes.Reset}\ndata: {data}\n\n", cancel);
    }

    private static Task WriteAsync(HttpContext http, EngineEvent item, JsonSerializerOptions options, CancellationToken cancel)
    {
        var data = JsonSerializer.Serialize(new { item.ConnectionId, item.At, data = item.Data }, options);
        return http.Response.WriteAsync($"id: {item.Id}\nevent: {item.Type}\ndata: {data}\n\n", cancel);
    }
}
