using Cts.Domain.Engines;
using Cts.Functions.Live;

namespace Cts.Functions.Engines;

/// <summary>What the engine tells the live stream besides its transitions: health (at most once a second) and positions.</summary>
public sealed partial class EngineGrain
{
    private static readonly TimeSpan HealthEventInterval = TimeSpan.FromSeconds(1);
    private DateTimeOffset _lastHealthEvent = DateTimeOffset.MinValue;

    private EngineRun Attach(EngineRun run)
    {
        run.Context.Trader.Book.PositionSettled += position =>
            events.Publish(position.IsOpen ? EngineEventTypes.PositionOpened : EngineEventTypes.PositionClosed, ConnectionId, PositionView.From(position));
        run.Context.EntrySkipped = OnEntrySkipped;
        return run;
    }

    private void PublishHealth()
    {
        if (time.GetUtcNow() - _lastHealthEvent >= HealthEventInterval)
        {
            PublishStatus();
        }
    }

    /// <summary>
    /// The current status as an <c>engine-health</c> event, now: after a state write that was not a transition. With
    /// nobody to show the event to (no live stream open here, no other node to relay it to) only this node's status
    /// board wants it, and takes the document written straight from the engine's fields: no status object is built.
    /// </summary>
    private void PublishStatus()
    {
        var now = time.GetUtcNow();
        _lastHealthEvent = now;
        if (events.HealthHasAudience)
        {
            events.Publish(EngineEventTypes.Health, ConnectionId, BuildStatus());
            return;
        }
        var fields = StatusFields();
        board.Take(ConnectionId, StatusJson.Write(in fields), fields.State, now);
    }

    private EngineState _allowedActionsState;
    private string[]? _allowedActionNames;

    /// <summary>The wire names of the actions allowed in <paramref name="current"/>, built again only when the state changed (the status is built every second).</summary>
    private string[] AllowedActionNames(EngineState current)
    {
        if (_allowedActionNames is null || _allowedActionsState != current)
        {
            _allowedActionNames = EngineLifecycle.AllowedActions(current).Select(a => a.ToWire()).ToArray();
            _allowedActionsState = current;
        }
        return _allowedActionNames;
    }
}
