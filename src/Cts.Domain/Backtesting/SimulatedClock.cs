namespace Cts.Domain.Backtesting;

/// <summary>
/// The clock of a backtest: a <see cref="TimeProvider"/> whose time is only what the runner sets, so the engine's own
/// processors, executor and venue, which all read the time from their provider, run in simulated time.
/// </summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock to <paramref name="at"/>; time never runs backwards.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        if (at < _now)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"the clock is at {_now:O} and does not run backwards");
        }
        _now = at;
    }
}
