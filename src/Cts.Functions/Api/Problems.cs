using Cts.Functions.Engines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cts.Functions.Api;

/// <summary>RFC 9457 problem documents for the errors the API knows; every one says what to do about it.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what, string id) => TypedResults.Problem(
        title: $"{what} not found", detail: $"There is no {what.ToLowerInvariant()} '{id}'.", statusCode: StatusCodes.Status404NotFound,
        type: "https://cts.dev/problems/not-found");

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(
        errors, title: "The request is not valid", detail: "See errors for each field.", type: "https://cts.dev/problems/validation");

    public static ValidationProblem InvalidId(string id) =>
        Invalid(new Dictionary<string, string[]> { ["id"] = [$"'{id}' must match {Cts.Domain.Connections.ConnectionId.Pattern}"] });

    /// <summary>409 for a lifecycle action the engine's state does not allow, with what is allowed.</summary>
    public static ProblemHttpResult LifecycleConflict(EngineStatus status, string? detail) => TypedResults.Problem(
        title: "Action not allowed in the engine's current state", detail: detail, statusCode: StatusCodes.Status409Conflict,
        type: "https://cts.dev/problems/lifecycle-conflict",
        extensions: new Dictionary<string, object?> { ["currentState"] = status.State, ["allowedActions"] = status.AllowedActions });

    public static ProblemHttpResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) => TypedResults.Problem(
        title: title, detail: detail, statusCode: StatusCodes.Status409Conflict, type: "https://cts.dev/problems/conflict", extensions: extensions);

    /// <summary>409 for deleting a connection whose engine still holds open positions, naming each of them.</summary>
    public static ProblemHttpResult OpenPositions(string detail, IReadOnlyList<PositionView> positions) => TypedResults.Problem(
        title: "The connection's engine holds open positions", detail: detail, statusCode: StatusCodes.Status409Conflict,
        type: "https://cts.dev/problems/open-positions",
        extensions: new Dictionary<string, object?> { ["openPositions"] = positions });

    public static ProblemHttpResult PreconditionFailed(string what) => TypedResults.Problem(
        title: "The resource has changed", detail: $"The {what} was changed by someone else; read it again and retry with its new ETag.",
        statusCode: StatusCodes.Status412PreconditionFailed, type: "https://cts.dev/problems/precondition-failed");

    public const string UnsupportedMediaTypeType = "https://cts.dev/problems/unsupported-media-type";

    /// <summary>415 for a body that is not <paramref name="mediaType"/>; a PATCH also says so in <c>Accept-Patch</c> (RFC 5789).</summary>
    public static ProblemHttpResult UnsupportedMediaType(HttpContext http, string mediaType)
    {
        if (mediaType == RequestBody.MergePatch)
        {
            http.Response.Headers["Accept-Patch"] = mediaType;
        }
        return TypedResults.Problem(
            title: "Unsupported media type", detail: $"Send the body as {mediaType} (UTF-8).",
            statusCode: StatusCodes.Status415UnsupportedMediaType, type: UnsupportedMediaTypeType);
    }

    /// <summary>
    /// For every problem the framework writes itself: a 415 that routing gave (a route that declares the media types it
    /// accepts) says the same as <see cref="UnsupportedMediaType"/>, with <c>Accept-Patch</c> for a PATCH.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        if (context.ProblemDetails.Status != StatusCodes.Status415UnsupportedMediaType || context.ProblemDetails.Type == UnsupportedMediaTypeType)
        {
            return;
        }
        var mediaType = HttpMethods.IsPatch(http.Request.Method) ? RequestBody.MergePatch : RequestBody.Json;
        if (mediaType == RequestBody.MergePatch && !http.Response.HasStarted)
        {
            http.Response.Headers["Accept-Patch"] = mediaType;
        }
        context.ProblemDetails.Type = UnsupportedMediaTypeType;
        context.ProblemDetails.Title = "Unsupported media type";
        context.ProblemDetails.Detail = $"Send the body as {mediaType} (UTF-8).";
    }

    public static ProblemHttpResult Unavailable(string detail) => TypedResults.Problem(
        title: "Storage unavailable", detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable,
        type: "https://cts.dev/problems/unavailable");
}
