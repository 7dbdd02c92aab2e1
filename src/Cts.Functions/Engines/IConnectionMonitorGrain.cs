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

/// <summary>
/// What one pass did: engines started for <c>autoStart</c>, engines told their connection changed, and engines whose
/// connection is gone that were stopped or disabled (their records are the retention job's to remove).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MonitorReport(
    [property: Id(0)] string[] Started,
    [property: Id(1)] string[] MarkedStale,
    [property: Id(2)] string[] OrphansStopped);
