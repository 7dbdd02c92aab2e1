using System.Text.Json;

namespace Cts.Functions.Api;

/// <summary>
/// A status-all page (<see cref="EngineList"/>'s shape) written from the status board's ready JSON documents, so a
/// listing of thousands of engines does not serialize thousands of status documents again for every request.
/// </summary>
public sealed class EngineListResult(IReadOnlyList<byte[]> documents, DateTimeOffset asOf, string? continuationToken) : IResult
{
    private const int FlushAt = 32 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("engines");
        foreach (var document in documents)
        {
            writer.WriteRawValue(document, skipInputValidation: true);
            if (writer.BytesPending > FlushAt)
            {
                await writer.FlushAsync(httpContext.RequestAborted);
            }
        }
        writer.WriteEndArray();
        writer.WriteNumber("count", documents.Count);
        writer.WriteString("asOf", asOf);
        if (continuationToken is null)
        {
            writer.WriteNull("continuationToken");
        }
        else
        {
            writer.WriteString("continuationToken", continuationToken);
        }
        writer.WriteEndObject();
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
