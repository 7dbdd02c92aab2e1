namespace Cts.Functions.Engines;

/// <summary>
/// Reconciles connections with engines every <c>connectionMonitorSeconds</c>. A grain with one key, so the cluster
/// runs exactly one monitor whatever the number of nodes.
/// </summary>
public interface IConnectionMonitorGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the monitor runs (its timer and reminder); called by every node at start.</summary>
    Task EnsureRunning();

    /// <summary>One reconciliation pass, now; returns what it did.</summary>
    Task<MonitorReport> RunOnce();
}

[GenerateSerializer, Immutable]
public sealed record MonitorReport(
    [property: Id(0)] string[] Started,
    [property: Id(1)] string[] MarkedStale,
    [property: Id(2)] string[] Removed);
