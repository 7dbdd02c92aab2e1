using System.Net.Http.Json;

namespace Cts.Functions.Alerts;

/// <summary>
/// Raises alerts: always as an error-level log entry, to in-process subscribers (the event stream), and, when
/// <c>Alerts:WebhookUrl</c> is set, as a JSON POST through a resilient HTTP client. A webhook that stays down is
/// logged, never allowed to fail the engine that raised the alert.
/// </summary>
public sealed partial class AlertPublisher(
    IHttpClientFactory http, IConfiguration configuration, Live.EngineEventBus events, ILogger<AlertPublisher> logger)
{
    public const string WebhookClient = "alerts";

    public async Task RaiseAsync(Alert alert)
    {
        LogAlert(alert.ConnectionId, alert.Kind, alert.Message);
        events.Publish(Live.EngineEventTypes.Alert, alert.ConnectionId, alert);
        var url = configuration["Alerts:WebhookUrl"];
        if (string.IsNullOrWhiteSpace(url))
        {
            return;
        }
        try
        {
            using var response = await http.CreateClient(WebhookClient).PostAsJsonAsync(url, alert);
            response.EnsureSuccessStatusCode();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException
                                       or Polly.Timeout.TimeoutRejectedException)
        {
            LogWebhookFailed(e, alert.ConnectionId, alert.Kind);
        }
    }

    [LoggerMessage(LogLevel.Error, "ALERT engine {ConnectionId}: {Kind}: {Message}")]
    private partial void LogAlert(string connectionId, string kind, string message);

    [LoggerMessage(LogLevel.Warning, "Alert webhook failed for engine {ConnectionId} ({Kind}) after retries")]
    private partial void LogWebhookFailed(Exception exception, string connectionId, string kind);
}
