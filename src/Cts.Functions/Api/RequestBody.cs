using System.Text.Json;

namespace Cts.Functions.Api;

/// <summary>
/// Reads a JSON request body strictly and turns every way it can be wrong into per-field errors, so handlers
/// answer 400 with a problem document instead of throwing.
/// </summary>
public static class RequestBody
{
    /// <summary>The parsed body, or the errors to return as a validation problem. An empty body is null with no errors.</summary>
    public static async Task<(T? Value, Dictionary<string, string[]>? Errors)> ReadAsync<T>(HttpRequest request, bool required)
        where T : class
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length == 0)
        {
            return required ? (null, new() { ["body"] = ["a JSON body is required"] }) : (null, null);
        }
        buffer.Position = 0;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(buffer, ApiJson.Strict, request.HttpContext.RequestAborted);
            if (value is null)
            {
                return (null, new() { ["body"] = ["a JSON object is required"] });
            }
            return (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, new() { [field] = [Describe(e)] });
        }
    }

    private static string Describe(JsonException e) => e.Message.Contains("could not be mapped", StringComparison.Ordinal)
        ? "unknown field"
        : e.Message.Split(" Path:", 2)[0];
}
