using Azure;

namespace Cts.Functions.Storage;

/// <summary>Tells a storage outage (unreachable, timing out, 5xx) from a storage answer (404, 409, 412).</summary>
public static class StorageFaults
{
    public static bool IsUnavailable(Exception e) => e switch
    {
        RequestFailedException { Status: 0 or 408 or >= 500 } => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsUnavailable),
        HttpRequestException or TimeoutException or IOException => true,
        OperationCanceledException => false,
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };

    /// <summary>An insert that met a row under the same keys: the table's answer, not an outage.</summary>
    public static bool IsAlreadyExists(RequestFailedException e) => e is { Status: 409, ErrorCode: "EntityAlreadyExists" };
}
