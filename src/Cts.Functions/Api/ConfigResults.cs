using Cts.Functions.Config;

namespace Cts.Functions.Api;

/// <summary>
/// Maps configuration command results to HTTP: 200/201/204 with the strong ETag (<see cref="EntityTags"/>), 304 for a
/// GET whose <c>If-None-Match</c> names the current tag, or the matching problem.
/// </summary>
public static class ConfigResults
{
    public static IResult ToHttp<T>(HttpContext http, ConfigResult<T> result, string what, string id, Func<T, object> view,
        string? location = null) where T : class
    {
        if (result.Outcome is ConfigOutcome.Ok or ConfigOutcome.Created)
        {
            var etag = EntityTags.Strong(result.ETag);
            http.Response.Headers.ETag = etag;
            if (result.Outcome == ConfigOutcome.Ok && ConditionalRequest.NotModified(http, etag))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }
        }
        return result.Outcome switch
        {
            ConfigOutcome.Ok => TypedResults.Ok(view(result.Value!)),
            ConfigOutcome.Created => TypedResults.Created(location, view(result.Value!)),
            ConfigOutcome.Deleted => TypedResults.NoContent(),
            ConfigOutcome.Invalid => Problems.Invalid(result.Errors!.ToDictionary()),
            ConfigOutcome.NotFound => Problems.NotFound(what, id),
            ConfigOutcome.AlreadyExists => Problems.Conflict($"{what} already exists", result.Detail ?? $"'{id}' exists."),
            ConfigOutcome.PreconditionFailed => Problems.PreconditionFailed(what.ToLowerInvariant()),
            _ when result.EngineStatus is not null => Problems.LifecycleConflict(result.EngineStatus, result.Detail),
            _ => Problems.Conflict($"{what} is in use", result.Detail ?? ""),
        };
    }
}
