namespace Cts.Functions.Live;

/// <summary>
/// A node's inbox for the live events of engines hosted on other nodes (a grain observer: one per node, reachable
/// from every silo of the cluster).
/// </summary>
public interface IEngineEventRelay : IGrainObserver
{
    Task Deliver(RelayedEvent[] batch);
}

/// <summary>A live event as it travels between nodes; the receiving node numbers it in its own stream.</summary>
[GenerateSerializer, Immutable]
public sealed record RelayedEvent(
    [property: Id(0)] string Type,
    [property: Id(1)] string ConnectionId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] object Data);

/// <summary>Another node of the cluster and its inbox.</summary>
[GenerateSerializer, Immutable]
public sealed record RelayPeer([property: Id(0)] string NodeId, [property: Id(1)] IEngineEventRelay Inbox);
