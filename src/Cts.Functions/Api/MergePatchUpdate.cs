using System.Text.Json;
using System.Text.Json.Nodes;
using Cts.Domain.Config;
using Cts.Functions.Config;

namespace Cts.Functions.Api;

/// <summary>
/// PATCH with JSON Merge Patch (RFC 7396) on top of a resource's PUT: the patch is applied to the current
/// representation, the result is bound as a PUT body (same required fields, same validator, same service, audit and
/// backups), and written only if the resource is still the version the patch was applied to. Without an
/// <c>If-Match</c> from the client, a write that lost a race is applied again to the newer version, a few times.
/// </summary>
public static class MergePatchUpdate
{
    public const int Attempts = 3;

    /// <param name="ifMatch">The client's <c>If-Match</c>, or null.</param>
    /// <param name="read">The current representation (as a PUT body would carry it) and its stored ETag; null when there is none.</param>
    /// <param name="replace">The resource's replace command, given the patched body and the <c>If-Match</c> of the version it was built from.</param>
    public static async Task<ConfigResult<T>> ApplyAsync<TBody, T>(string? ifMatch, JsonObject patch, IReadOnlyList<string> requiredFields,
        Func<Task<(object Current, string? ETag)?>> read, Func<TBody, string, Task<ConfigResult<T>>> replace)
        where TBody : class where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var found = await read();
            if (found is null)
            {
                return ConfigResult<T>.NotFound();
            }
            var (current, etag) = found.Value;
            if (!EntityTags.IfMatchAllows(ifMatch, etag))
            {
                return ConfigResult<T>.Stale();
            }
            var merged = JsonMergePatch.Apply(JsonSerializer.SerializeToNode(current, current.GetType(), ApiJson.Strict), patch);
            var (body, errors) = StrictJson.Bind<TBody>(JsonSerializer.SerializeToElement(merged, ApiJson.Strict), requiredFields);
            if (errors is not null)
            {
                return ConfigResult<T>.Invalid(errors);
            }
            var result = await replace(body!, EntityTags.Strong(etag));
            if (result.Outcome != ConfigOutcome.PreconditionFailed || ifMatch is not null || attempt == Attempts)
            {
                return result;
            }
        }
    }
}
