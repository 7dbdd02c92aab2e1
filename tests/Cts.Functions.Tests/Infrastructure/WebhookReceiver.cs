using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>A local HTTP endpoint on 127.0.0.1 that records the JSON bodies posted to it (an alert webhook's receiver).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}/alerts/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ReceiveAsync);
    }

    public string Url { get; }
    public ConcurrentQueue<JsonNode> Received { get; } = new();

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                if (JsonNode.Parse(await reader.ReadToEndAsync()) is { } body)
                {
                    Received.Enqueue(body);
                }
            }
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
