using Orleans.Concurrency;

namespace Cts.Functions.Engines;

/// <summary>
/// The durable engine of one connection, keyed by the connection id. It is the only owner of the engine's
/// lifecycle state: nothing else creates, tracks or changes an engine.
/// </summary>
public interface IEngineGrain : IGrainWithStringKey
{
    /// <summary>Runs one lifecycle action; answers once the engine has settled (or refused), never throws for a refusal.</summary>
    Task<EngineCommandResult> Execute(EngineCommand command);

    /// <summary>The engine's status document, from its live state.</summary>
    [AlwaysInterleave]
    Task<EngineStatus> GetStatus();

    /// <summary>
    /// Tells the engine its configuration changed and why. A running engine then reports <c>restartRequired</c> with
    /// the reasons, or restarts itself when the settings ask for it; an engine that is not running picks the change
    /// up when it next starts.
    /// </summary>
    Task ConfigChanged(ConfigChange change);

    /// <summary>Closes one open position at market (an operator's forced close), recorded like any other exit.</summary>
    Task<PositionCloseResult> ClosePosition(string positionId, string actor, string? correlationId);

    /// <summary>
    /// An operator's forced entry: opens a position on one of the engine's symbols while it is Running or Paused,
    /// within its limits and balance; refusals are answered, not thrown.
    /// </summary>
    Task<ForceEntryResult> ForceEnter(ForceEntryCommand command);

    /// <summary>
    /// Activates the engine so it recovers as SPEC §3 "Durability" says; used by the boot scan. The activation queues the
    /// recovery on its node's <see cref="EngineRecoveryQueue"/> and returns at once.
    /// </summary>
    Task<EngineStatus> Recover();

    /// <summary>Completes the recovery this activation queued (called by <see cref="EngineRecoveryQueue"/>); nothing if none is pending.</summary>
    Task CompleteRecovery();
}
