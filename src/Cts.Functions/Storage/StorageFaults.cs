using Azure;

namespace Cts.Functions.Storage;

/// <summary>Tells a storage outage (unreachable, timing out, 5xx) from a storage answer (404, 409, 412).</summary>
public static class StorageFaults
{
    /// <summary>
    /// True for an outage. The storage client's retry gives up with an <see cref="AggregateException"/> of its tries; a
    /// cancelled try in it is the client's own network timeout ("exceeded the configured timeout"), an outage like a
    /// refused one. A caller's cancellation never comes as such an aggregate: it ends the retry with the
    /// <see cref="OperationCanceledException"/> itself, which is not an outage.
    /// </summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        RequestFailedException { Status: 0 or 408 or >= 500 } => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(t => t is OperationCanceledException || IsUnavailable(t)),
        HttpRequestException or TimeoutException or IOException => true,
        OperationCanceledException => false,
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };

    /// <summary>An insert that met a row under the same keys: the table's answer, not an outage.</summary>
    public static bool IsAlreadyExists(RequestFailedException e) => e is { Status: 409, ErrorCode: "EntityAlreadyExists" };
}
