namespace Cts.Functions.Storage;

/// <summary>A stored value with the ETag it was read with, for optimistic concurrency on the next write.</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>How a conditional write went; errors are data, the API maps them to 404/409/412.</summary>
public enum WriteOutcome
{
    Written,
    NotFound,
    AlreadyExists,
    PreconditionFailed,
}
