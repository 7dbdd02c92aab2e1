namespace Cts.Functions.Live;

/// <summary>Who is on the live-event relay: every node joins (and keeps joining, as a heartbeat) and learns its peers.</summary>
public interface IEventRelayDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers or refreshes <paramref name="nodeId"/>; returns every other node seen recently.</summary>
    Task<RelayPeer[]> Join(string nodeId, IEngineEventRelay inbox);

    Task Leave(string nodeId);
}
