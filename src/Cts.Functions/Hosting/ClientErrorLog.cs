namespace Cts.Functions.Hosting;

/// <summary>
/// How requests refused for the client's own fault are logged: once, at Information, with the status, method, path,
/// the server's reason and the correlation id, never with an exception or stack trace (the server did nothing wrong,
/// and an operator's error alerts must not fire for a client's slow upload).
/// </summary>
public static partial class ClientErrorLog
{
    public const string Category = "Cts.Functions.ClientErrors";

    /// <summary>A request the server refused because of the client: a <see cref="BadHttpRequestException"/> with a 4xx status.</summary>
    public static bool IsClientError(Exception? exception) =>
        exception is BadHttpRequestException { StatusCode: >= 400 and < 500 };

    [LoggerMessage(EventId = 4000, EventName = "ClientRequestRefused", Level = LogLevel.Information,
        Message = "Request {Method} {Path} refused with {StatusCode} (client error): {Reason} [correlation {CorrelationId}]")]
    public static partial void Refused(ILogger logger, string method, string path, int statusCode, string reason, string correlationId);
}
