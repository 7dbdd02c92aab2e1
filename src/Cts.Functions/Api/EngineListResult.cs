using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text.Json;

namespace Cts.Functions.Api;

/// <summary>
/// A status-all page (<see cref="EngineList"/>'s shape) written from the status board's ready JSON documents straight
/// into the response's <see cref="PipeWriter"/>: each document is copied into the pipe's pooled segments as it is, and
/// the pipe is flushed to the client every <see cref="FlushAt"/> bytes, so a listing of thousands of engines costs no
/// serialization and no buffer the size of the listing — what a request allocates does not grow with the documents.
/// </summary>
public sealed class EngineListResult(IReadOnlyList<byte[]> documents, DateTimeOffset asOf, string? continuationToken) : IResult
{
    /// <summary>Bytes written between two flushes: the most of a listing ever held in the pipe at once (plus one document).</summary>
    public const int FlushAt = 32 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        var body = response.BodyWriter;
        var aborted = httpContext.RequestAborted;
        body.Write("{\"engines\":["u8);
        long unflushed = 0;
        for (var i = 0; i < documents.Count; i++)
        {
            if (i > 0)
            {
                body.Write(","u8);
            }
            var document = documents[i];
            body.Write(document);
            unflushed += document.Length + 1;
            if (unflushed >= FlushAt)
            {
                unflushed = 0;
                var flushed = await body.FlushAsync(aborted);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    return; // the client went away
                }
            }
        }
        WriteTail(body, documents.Count, asOf, continuationToken);
        await body.FlushAsync(aborted);
    }

    /// <summary><c>],"count":N,"asOf":"…","continuationToken":…}</c>, the strings escaped and formatted as System.Text.Json does.</summary>
    private static void WriteTail(PipeWriter body, int count, DateTimeOffset asOf, string? continuationToken)
    {
        body.Write("],\"count\":"u8);
        var digits = body.GetSpan(11);
        Utf8Formatter.TryFormat(count, digits, out var written);
        body.Advance(written);
        body.Write(",\"asOf\":"u8);
        using (var value = new Utf8JsonWriter(body))
        {
            value.WriteStringValue(asOf);
        }
        body.Write(",\"continuationToken\":"u8);
        if (continuationToken is null)
        {
            body.Write("null"u8);
        }
        else
        {
            using var value = new Utf8JsonWriter(body);
            value.WriteStringValue(continuationToken);
        }
        body.Write("}"u8);
    }
}
