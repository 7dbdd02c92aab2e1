using System.IO.Pipelines;
using System.Text.Json;
using Cts.Functions.Engines;

namespace Cts.Functions.Api;

/// <summary>
/// A status-all page (<see cref="EngineList"/>) serialized from the status board's current statuses straight into the
/// response's <see cref="PipeWriter"/>, in one pass: the serializer writes into the pipe's pooled segments and flushes
/// them to the client whenever it holds about a buffer's worth (<see cref="JsonSerializerOptions.DefaultBufferSize"/>),
/// so a listing of thousands of engines builds no document per engine and no buffer the size of the listing — what a
/// request allocates does not grow with the documents. (The board used to serialize every status as it arrived: ten
/// thousand serializations a second at 10,000 running engines, for listings that come rarely.)
/// </summary>
public sealed class EngineListResult(IReadOnlyList<EngineStatus> statuses, JsonSerializerOptions json, DateTimeOffset asOf,
    string? continuationToken) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(response.BodyWriter, new EngineList(statuses, statuses.Count, asOf, continuationToken), json,
            httpContext.RequestAborted);
    }
}
