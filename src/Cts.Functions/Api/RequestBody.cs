using System.Text.Json;
using System.Text.Json.Nodes;
using Cts.Domain.Config;
using Cts.Functions.Security;
using Microsoft.Net.Http.Headers;

namespace Cts.Functions.Api;

/// <summary>
/// Reads a request body strictly and turns every way it can be wrong into a problem result, so handlers never throw
/// on bad input: 415 for a body that is not <c>application/json</c> (<c>application/merge-patch+json</c> for PATCH),
/// 413 over the size limit, 400 with errors per field for bad JSON, unknown or duplicate fields, wrong types and
/// missing required fields (<see cref="StrictJson"/>).
/// </summary>
public static class RequestBody
{
    public const string Json = "application/json";
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>The parsed body, or the problem to return. An empty optional body is (null, null).</summary>
    /// <param name="requiredFields">Dotted paths that must be present and not null (a PUT's full replacement).</param>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, bool required,
        IReadOnlyList<string>? requiredFields = null) where T : class
    {
        var (document, error) = await ReadDocumentAsync(request, Json, required);
        if (document is null)
        {
            return (null, error);
        }
        using (document)
        {
            var (value, errors) = StrictJson.Bind<T>(document.RootElement, requiredFields);
            return errors is null ? (value, null) : (null, Problems.Invalid(errors.ToDictionary()));
        }
    }

    /// <summary>
    /// A JSON Merge Patch (RFC 7396) for a <typeparamref name="T"/>: an object whose members have <typeparamref name="T"/>'s
    /// names and types, any of them null (remove). What it is applied to is validated again as a whole.
    /// </summary>
    public static async Task<(JsonObject? Patch, IResult? Error)> ReadMergePatchAsync<T>(HttpRequest request) where T : class
    {
        var (document, error) = await ReadDocumentAsync(request, MergePatch, required: true);
        if (document is null)
        {
            return (null, error);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, Field("body", "a merge patch must be a JSON object"));
            }
            var errors = new FieldErrors();
            JsonShape.Check(root, typeof(T), ApiJson.Strict, "", errors, mergePatch: true);
            return errors.IsEmpty
                ? (JsonNode.Parse(root.GetRawText())!.AsObject(), null)
                : (null, Problems.Invalid(errors.ToDictionary().ToDictionary()));
        }
    }

    /// <summary>
    /// The whole body, read up to the route's limit (<see cref="RequestBodyLimit"/>: 64 KiB but where a route says otherwise);
    /// past that the 413 problem to return. Every JSON body reader of the API goes through it.
    /// </summary>
    public static async Task<(MemoryStream? Body, IResult? TooLarge)> ReadBoundedAsync(HttpRequest request)
    {
        var limit = RequestBodyLimit.Of(request.HttpContext);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit.Bytes)
                {
                    await buffer.DisposeAsync();
                    return (null, limit.TooLarge());
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel enforces the same limit on chunked bodies while we read.
            await buffer.DisposeAsync();
            return (null, limit.TooLarge());
        }
        return (buffer, null);
    }

    private static async Task<(JsonDocument? Document, IResult? Error)> ReadDocumentAsync(HttpRequest request, string mediaType, bool required)
    {
        var (body, tooLarge) = await ReadBoundedAsync(request);
        if (body is null)
        {
            return (null, tooLarge);
        }
        using var buffer = body;
        if (buffer.Length == 0)
        {
            return required ? (null, Field("body", "a JSON body is required")) : (null, null);
        }
        if (!IsMediaType(request.ContentType, mediaType))
        {
            return (null, Problems.UnsupportedMediaType(request.HttpContext, mediaType));
        }
        var (document, errors) = StrictJson.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        return document is null ? (null, Problems.Invalid(errors!.ToDictionary())) : (document, null);
    }

    /// <summary>Exactly <paramref name="expected"/>, with no charset or UTF-8 (JSON is UTF-8, RFC 8259).</summary>
    private static bool IsMediaType(string? contentType, string expected)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || !parsed.MediaType.Equals(expected, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return !parsed.Charset.HasValue || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    private static IResult Field(string field, string message) =>
        Problems.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
