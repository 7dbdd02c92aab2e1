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

    public static ProblemHttpResult Unavailable(string detail) => TypedResults.Problem(
        title: "Storage unavailable", detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable,
        type: "https://cts.dev/problems/unavailable");
}
