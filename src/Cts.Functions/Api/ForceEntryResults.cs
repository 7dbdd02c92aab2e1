using Cts.Functions.Engines;

namespace Cts.Functions.Api;

/// <summary>
/// Maps a forced entry's answer to HTTP: 201 with the position and its Location (a retried request gets the same
/// position again), 400 field errors, 404, 409 (lifecycle conflict with the allowed actions; limit, balance or venue
/// refusal), 503 with Retry-After when storage or the venue cannot be reached.
/// </summary>
public static class ForceEntryResults
{
    public static IResult ToHttp(HttpContext http, ForceEntryAnswer answer, string connectionId)
    {
        if (!answer.Found)
        {
            return Problems.NotFound("Connection", connectionId);
        }
        if (answer.Errors is { } errors)
        {
            return Problems.Invalid(new Dictionary<string, string[]>(errors));
        }
        if (answer.TimedOut || answer.Result is null)
        {
            return Unavailable(http, "The engine did not answer in time. Retry with the same Idempotency-Key: the same key is the same order.");
        }
        var result = answer.Result;
        var detail = result.Detail ?? "";
        return result.Outcome switch
        {
            ForceEntryOutcome.Opened or ForceEntryOutcome.AlreadyMade when result.Position is { } position =>
                TypedResults.Created($"/api/positions/{connectionId}/{position.Id}", position),
            ForceEntryOutcome.AlreadyMade => Problems.Conflict("Entry already made",
                "This request was made before and did not open a position (its order was refused, or is still being settled with the venue).",
                Extensions(result)),
            ForceEntryOutcome.NotAllowed => Problems.LifecycleConflict(result.Status, detail),
            ForceEntryOutcome.UnknownSymbol => Problems.Invalid(new Dictionary<string, string[]> { ["symbol"] = [detail] }),
            ForceEntryOutcome.Full => Problems.Conflict("Open-position limit reached", detail, Extensions(result)),
            ForceEntryOutcome.InsufficientBalance => Problems.Conflict("Insufficient balance", detail, Extensions(result)),
            ForceEntryOutcome.Rejected => Problems.Conflict("Order rejected by the exchange", detail, Extensions(result)),
            _ => Unavailable(http, detail),
        };
    }

    private static Dictionary<string, object?> Extensions(ForceEntryResult result) => new()
    {
        ["currentState"] = result.Status.State,
        ["openPositions"] = result.Status.OpenPositions,
        ["clientOrderId"] = result.PositionId,
    };

    private static IResult Unavailable(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = "5";
        return Problems.Unavailable(detail);
    }
}
