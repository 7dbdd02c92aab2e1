namespace Cts.Functions.Retention;

/// <summary>
/// The retention job: one grain (key 0), so the cluster archives old history and removes orphaned engine records once,
/// whatever the number of nodes.
/// </summary>
public interface IRetentionGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the hourly timer (and the reminder that revives it on another node) runs.</summary>
    Task EnsureRunning();

    /// <summary>One retention pass, now.</summary>
    Task<RetentionReport> RunOnce();
}
