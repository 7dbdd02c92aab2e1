using Cts.Functions.Live;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>The cluster overview for ops: nodes, engines per node and state, live-event relay lag. Viewer role, read-only.</summary>
public static class ClusterApi
{
    public static RouteGroupBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cluster").WithTags("Cluster");
        api.MapGet("/", Get)
            .WithName("getCluster")
            .WithSummary("Nodes with their status, the engines on each by state, and the live-event relay lag into this node")
            .Produces<ClusterView>()
            .RequireViewer();
        return api;
    }

    public static async Task<IResult> Get(ClusterOverviewService cluster, HttpContext http) =>
        TypedResults.Ok(await cluster.GetAsync(http.RequestAborted));
}
