namespace Cts.Functions.Tests.Contract;

/// <summary>
/// Records, on the client side, the responses of a host in another process into a <see cref="ContractRecorder"/>,
/// matching each request path to its operation in the document.
/// </summary>
public sealed class RecordingHandler(ContractDocument document, ContractRecorder recorder) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var method = request.Method.Method;
        var path = request.RequestUri!.AbsolutePath;
        if (document.MatchPath(method, path) is { } route)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            recorder.Add(new RecordedExchange(method, route, request.RequestUri.PathAndQuery, (int)response.StatusCode,
                response.Content.Headers.ContentType?.MediaType, body, Truncated: false));
        }
        return response;
    }
}
