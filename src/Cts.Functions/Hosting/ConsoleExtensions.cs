using Cts.Functions.Api;
using Cts.Functions.Engines;
using Cts.Functions.Live;

namespace Cts.Functions.Hosting;

/// <summary>
/// The operator console (<c>wwwroot/index.html</c> and <c>wwwroot/console/</c>) and the read endpoints it added to the
/// public API: engine candles, the engine inspector and the cluster overview. The console itself uses nothing else but
/// the public API.
/// </summary>
public static class ConsoleExtensions
{
    public static IServiceCollection AddCtsConsoleReads(this IServiceCollection services)
    {
        services.AddSingleton<EngineChartService>();
        services.AddSingleton<ClusterOverviewService>();
        // Filled by the cluster relay as peers' events arrive; read by the cluster overview.
        services.AddSingleton<RelayLagMeter>();
        return services;
    }

    public static IEndpointRouteBuilder MapCtsConsoleReads(this IEndpointRouteBuilder app)
    {
        app.MapEngineInsightsApi();
        app.MapClusterApi();
        return app;
    }
}
