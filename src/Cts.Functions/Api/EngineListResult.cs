using System.Text.Json;
using Cts.Functions.Engines;

namespace Cts.Functions.Api;

/// <summary>
/// A status-all page (<see cref="EngineList"/>) written from the status board's ready documents straight into the
/// response's <see cref="System.IO.Pipelines.PipeWriter"/>: each line's document (kept as the API's JSON, see
/// <see cref="StatusLine"/>) is copied into the pipe's pooled segments, which are flushed to the client whenever they
/// hold the serializer's buffer size (<see cref="JsonSerializerOptions.DefaultBufferSize"/>). A listing of thousands of
/// engines serializes nothing and builds no buffer the size of the listing: what a request allocates does not grow with
/// the documents.
/// </summary>
public sealed class EngineListResult(IReadOnlyList<StatusLine> lines, JsonSerializerOptions json, DateTimeOffset asOf,
    string? continuationToken) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        var body = response.BodyWriter;
        var cancellation = httpContext.RequestAborted;
        var names = json.PropertyNamingPolicy;
        string Name(string property) => names?.ConvertName(property) ?? property;

        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = json.Encoder, SkipValidation = true });
        writer.WriteStartObject();
        writer.WriteStartArray(Name(nameof(EngineList.Engines)));
        var count = 0;
        long flushed = 0;
        foreach (var line in lines)
        {
            if (line.WriteTo(writer))
            {
                count++;
            }
            // What the writer holds plus what it handed the pipe since the last flush (BytesCommitted).
            if (writer.BytesCommitted + writer.BytesPending - flushed >= json.DefaultBufferSize)
            {
                writer.Flush();
                await body.FlushAsync(cancellation);
                flushed = writer.BytesCommitted;
            }
        }
        writer.WriteEndArray();
        writer.WriteNumber(Name(nameof(EngineList.Count)), count);
        writer.WriteString(Name(nameof(EngineList.AsOf)), asOf);
        if (continuationToken is null)
        {
            writer.WriteNull(Name(nameof(EngineList.ContinuationToken)));
        }
        else
        {
            writer.WriteString(Name(nameof(EngineList.ContinuationToken)), continuationToken);
        }
        writer.WriteEndObject();
        writer.Flush();
        await body.FlushAsync(cancellation);
    }
}
