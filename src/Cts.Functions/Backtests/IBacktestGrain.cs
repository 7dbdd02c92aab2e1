namespace Cts.Functions.Backtests;

/// <summary>One backtest, keyed by its id. Its document lives in the backtests table; the grain is its only writer.</summary>
public interface IBacktestGrain : IGrainWithStringKey
{
    /// <summary>Starts (or resumes) the backtest whose record is stored; a no-op once it is running or finished.</summary>
    Task Start();

    /// <summary>Stops a queued or running backtest (status canceled); a no-op otherwise.</summary>
    Task Cancel();

    /// <summary>Cancels it if running, then removes its record, trades, checkpoint and equity curve.</summary>
    Task Delete();
}
