using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cts.Functions.Tests.Contract;

/// <summary>One response the host sent, as the contract check needs it.</summary>
public sealed record RecordedExchange(string Method, string RoutePattern, string Url, int Status, string? MediaType, string? Body, bool Truncated);

/// <summary>
/// Records every response a test host sends (first middleware of the pipeline, so it sees problem documents written
/// by the exception handler and the authentication handler too), so that every API test doubles as a contract
/// check: <see cref="Verify"/> finds each status code the document does not declare for the route and method, each
/// undeclared media type, and each JSON body that does not match the declared schema.
/// </summary>
public sealed class ContractRecorder
{
    private const int MaxBody = 256 * 1024;

    private readonly ConcurrentQueue<RecordedExchange> _exchanges = new();

    public IReadOnlyCollection<RecordedExchange> Exchanges => _exchanges;

    public IStartupFilter StartupFilter() => new Filter(this);

    /// <summary>Adds an exchange recorded elsewhere (another process's client, or a test of this check itself).</summary>
    public void Add(RecordedExchange exchange) => _exchanges.Enqueue(exchange);

    /// <summary>
    /// Where <see cref="Export"/> writes the recorded responses for the third-party check of <c>.ci/contract-check.py</c>:
    /// the directory named by <c>CTS_CONTRACT_EXCHANGES</c> (set by <c>.ci/run</c>), or nowhere.
    /// </summary>
    public const string ExportVariable = "CTS_CONTRACT_EXCHANGES";

    /// <summary>Writes the recorded responses as JSON lines into the directory of <see cref="ExportVariable"/>, if set.</summary>
    public void Export()
    {
        var directory = Environment.GetEnvironmentVariable(ExportVariable);
        if (string.IsNullOrEmpty(directory) || _exchanges.IsEmpty)
        {
            return;
        }
        Directory.CreateDirectory(directory);
        var lines = _exchanges.Select(e => new JsonObject
        {
            ["method"] = e.Method,
            ["route"] = ContractDocument.PathOf(e.RoutePattern),
            ["url"] = e.Url,
            ["status"] = e.Status,
            ["mediaType"] = e.MediaType,
            ["body"] = e.Body,
            ["truncated"] = e.Truncated,
        }.ToJsonString());
        File.WriteAllLines(Path.Combine(directory, Guid.NewGuid().ToString("N") + ".jsonl"), lines);
    }

    /// <summary>Every way the recorded responses break <paramref name="document"/>; empty when they all keep it.</summary>
    public List<string> Verify(ContractDocument document)
    {
        var violations = new List<string>();
        foreach (var exchange in _exchanges)
        {
            var path = ContractDocument.PathOf(exchange.RoutePattern);
            var operation = document.Operation(exchange.Method, path);
            if (operation is null)
            {
                // Routes outside the document (health, metrics, the document itself, pages) are the business of
                // OpenApiDocumentTests.Every_mapped_endpoint_is_in_the_document.
                continue;
            }
            var where = $"{exchange.Method} {path} ({operation["operationId"]}; request {exchange.Method} {exchange.Url})";
            var responses = operation["responses"]!.AsObject();
            var code = exchange.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var response = responses[code] ?? responses[$"{code[0]}XX"] ?? responses["default"];
            if (response is null)
            {
                violations.Add($"{where}: answered {exchange.Status}, which the document does not declare "
                    + $"(declared: {string.Join(", ", responses.Select(r => r.Key))}). Declare it in the route table "
                    + $"(.Produces…({exchange.Status}) / .ProducesProblem({exchange.Status})) or stop returning it.");
                continue;
            }
            var content = document.Resolve(response)["content"] as JsonObject;
            if (exchange.MediaType is null)
            {
                if (content is { Count: > 0 } && exchange.Body is not (null or ""))
                {
                    violations.Add($"{where}: {exchange.Status} came with a body but no content type");
                }
                else if (content is { Count: > 0 } && exchange.Status is not (204 or 304) && exchange.Method != "HEAD")
                {
                    violations.Add($"{where}: {exchange.Status} came with no body, but the document declares {string.Join(", ", content.Select(c => c.Key))}");
                }
                continue;
            }
            if (content is null || !content.TryGetPropertyValue(exchange.MediaType, out var media))
            {
                violations.Add($"{where}: {exchange.Status} answered as {exchange.MediaType}, which the document does not declare for it "
                    + $"(declared: {(content is null ? "no body" : string.Join(", ", content.Select(c => c.Key)))})");
                continue;
            }
            if (exchange.Body is null or "")
            {
                continue;
            }
            if (media?["schema"] is not { } schema || !IsJson(exchange.MediaType) || exchange.Truncated)
            {
                continue;
            }
            JsonNode? body;
            try
            {
                body = JsonNode.Parse(exchange.Body);
            }
            catch (System.Text.Json.JsonException e)
            {
                violations.Add($"{where}: {exchange.Status} body is not JSON: {e.Message}");
                continue;
            }
            foreach (var error in document.Schemas.Check(body, schema).Take(5))
            {
                violations.Add($"{where}: {exchange.Status} body breaks its schema: {error}");
            }
        }
        return violations.Distinct().ToList();
    }

    private static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private sealed class Filter(ContractRecorder recorder) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(recorder.RecordAsync);
            next(app);
        };
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        var tee = new TeeStream(original, MaxBody);
        context.Response.Body = tee;
        try
        {
            await next(context);
        }
        finally
        {
            // Bytes a handler wrote to BodyWriter may still sit in its buffer: push them through the copy first.
            try
            {
                await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The client went away; what was captured is what was sent.
            }
            context.Response.Body = original;
            var endpoint = context.GetEndpoint() as RouteEndpoint
                ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint as RouteEndpoint;
            if (endpoint?.RoutePattern.RawText is { } pattern)
            {
                var mediaType = context.Response.ContentType?.Split(';', 2)[0].Trim().ToLowerInvariant();
                var body = mediaType == "text/event-stream" ? null : Encoding.UTF8.GetString(tee.Captured);
                _exchanges.Enqueue(new RecordedExchange(context.Request.Method, pattern,
                    context.Request.Path + context.Request.QueryString, context.Response.StatusCode, mediaType, body, tee.Truncated));
            }
        }
    }

    /// <summary>Passes writes through and keeps a copy of the first bytes.</summary>
    internal sealed class TeeStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream _copy = new();

        public byte[] Captured => _copy.ToArray();

        public bool Truncated { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Keep(buffer.AsSpan(offset, count));
        }

        /// <summary>
        /// Kept once the inner write went through: a write that fails (the client went away mid-response) leaves its bytes
        /// in the response pipe, and the recorder's closing flush sends them again; keeping them before the write
        /// recorded a body twice, back to back (seen once in CI as a 409 problem "with extra data").
        /// </summary>
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            Keep(buffer.Span);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            var room = limit - (int)_copy.Length;
            if (bytes.Length > room)
            {
                Truncated = true;
            }
            _copy.Write(bytes[..Math.Max(0, Math.Min(room, bytes.Length))]);
        }
    }
}
