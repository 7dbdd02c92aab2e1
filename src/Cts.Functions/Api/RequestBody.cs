using System.Text.Json;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>
/// Reads a JSON request body strictly and turns every way it can be wrong into a problem result (400 with the
/// field named, 413 over the size limit), so handlers never throw on bad input.
/// </summary>
public static class RequestBody
{
    /// <summary>The parsed body, or the problem to return. An empty optional body is (null, null).</summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, bool required) where T : class
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > SecurityExtensions.MaxRequestBodyBytes)
                {
                    return (null, TooLarge());
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel enforces the same limit on chunked bodies while we read.
            return (null, TooLarge());
        }
        if (buffer.Length == 0)
        {
            return required ? (null, Field("body", "a JSON body is required")) : (null, null);
        }
        buffer.Position = 0;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(buffer, ApiJson.Strict, request.HttpContext.RequestAborted);
            return value is null ? (null, Field("body", "a JSON object is required")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, Field(field, Describe(e)));
        }
    }

    private static IResult Field(string field, string message) =>
        Problems.Invalid(new Dictionary<string, string[]> { [field] = [message] });

    private static IResult TooLarge() => TypedResults.Problem(
        title: "Request body too large", detail: $"Request bodies are limited to {SecurityExtensions.MaxRequestBodyBytes / 1024} KiB.",
        statusCode: StatusCodes.Status413PayloadTooLarge, type: "https://cts.dev/problems/too-large");

    private static string Describe(JsonException e) => e.Message.Contains("could not be mapped", StringComparison.Ordinal)
        ? "unknown field"
        : e.Message.Split(" Path:", 2)[0];
}
