using Cts.Functions.Engines;
using Orleans.Runtime;

namespace Cts.Functions.Live;

/// <summary>
/// The cluster as ops see it (<c>GET /api/cluster</c>): the nodes from the membership table with their status, the
/// engines activated on each by state (activations from Orleans' management grain, states from the status board, so
/// no engine is called), and how late other nodes' live events reach the node that answers.
/// </summary>
public sealed class ClusterOverviewService(IGrainFactory grains, EngineStatusBoard board, RelayLagMeter lag, ILocalSiloDetails silo,
    TimeProvider time)
{
    public async Task<ClusterView> GetAsync(CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        // Engines are told apart by their grain type (as their ids carry it), whatever name the statistics give the class.
        var engineType = grains.GetGrain<IEngineGrain>("probe").GetGrainId().Type;
        var activations = active.Length == 0 ? [] : await management.GetDetailedGrainStatistics(null, active);
        var states = await board.StatesAsync(cancellationToken);
        var byNode = activations
            .Where(a => a.GrainId.Type == engineType)
            .GroupBy(a => a.SiloAddress)
            .ToDictionary(g => g.Key, g => g.Select(a => a.GrainId.Key.ToString()!).ToList());
        var placed = byNode.Values.SelectMany(ids => ids).ToHashSet(StringComparer.Ordinal);

        var nodes = hosts.OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal).Select(h =>
        {
            var ids = byNode.GetValueOrDefault(h.SiloAddress) ?? [];
            return new ClusterNode(h.SiloAddress.ToString(), h.SiloName, h.HostName, h.Status.ToString(),
                h.SiloAddress.Equals(silo.SiloAddress), ToOffset(h.StartTime), ToOffset(h.IAmAliveTime),
                ids.Count(states.ContainsKey), CountByState(ids.Where(states.ContainsKey), states));
        }).ToList();
        var notActivated = states.Keys.Where(id => !placed.Contains(id)).ToList();
        return new ClusterView(time.GetUtcNow(), silo.SiloAddress.ToString(), nodes,
            new EngineCount(notActivated.Count, CountByState(notActivated, states)), states.Count, lag.Read(), "/dashboard");
    }

    private static Dictionary<string, int> CountByState(IEnumerable<string> ids, IReadOnlyDictionary<string, string?> states) =>
        ids.GroupBy(id => states.GetValueOrDefault(id) ?? "Unknown").OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static DateTimeOffset? ToOffset(DateTime at) =>
        at == default ? null : new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}

/// <summary>The body of <c>GET /api/cluster</c>.</summary>
public sealed record ClusterView(DateTimeOffset AsOf, string AnsweredBy, IReadOnlyList<ClusterNode> Nodes, EngineCount NotActivated,
    int Engines, RelayLag RelayLag, string Dashboard);

/// <summary>One node: its silo address, names, membership status, whether it answered, and its engines by state.</summary>
public sealed record ClusterNode(string Address, string? Name, string? Host, string Status, bool Self, DateTimeOffset? StartedAt,
    DateTimeOffset? LastAliveAt, int Engines, IReadOnlyDictionary<string, int> EnginesByState);

/// <summary>Engines listed but not activated on any node (Idle or Stopped engines nobody asked about since the last restart).</summary>
public sealed record EngineCount(int Count, IReadOnlyDictionary<string, int> ByState);
