namespace Cts.Functions.Storage;

/// <summary>
/// A storage request that waited in its lane's <see cref="InFlightLimit"/> until its caller gave up, and was dropped
/// before any try of it was sent: storage never saw it, so nothing it would have written can land later.
/// </summary>
public sealed class StorageRequestDroppedException(StorageLane lane, CancellationToken cancellationToken)
    : OperationCanceledException($"the {lane.ToString().ToLowerInvariant()} lane's storage request was dropped unsent: the lane stayed full until its caller gave up",
        cancellationToken)
{
    public StorageLane Lane { get; } = lane;
}
