using Cts.Functions.Api.OpenApi;
using Cts.Functions.Observability;
using Cts.Functions.Security;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

// In the Hosting namespace like the other host wiring, so Program.cs needs no extra using.
namespace Cts.Functions.Hosting;

/// <summary>
/// Metrics, API description and the Orleans dashboard. Who may see what:
/// <list type="bullet">
/// <item><c>/metrics</c> (Prometheus text format): viewer — scrapers send a viewer key in <c>X-Api-Key</c>.</item>
/// <item><c>/openapi/v1.json</c> and the reference page <c>/api-docs</c>: viewer (only <c>/health/*</c> is anonymous).</item>
/// <item><c>/dashboard</c> (Orleans dashboard, grain internals and live trace): admin.</item>
/// </list>
/// </summary>
public static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";
    public const string DashboardPath = "/dashboard";
    public const string ApiDocsPath = "/api-docs";
    public const string OpenApiPath = "/openapi/{documentName}.json";

    public static WebApplicationBuilder AddCtsObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ObservabilityOptions>().Bind(builder.Configuration.GetSection(ObservabilityOptions.Section));
        builder.Services.AddSingleton<EngineStateGauge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EngineStateGauge>());
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CtsMetrics.MeterName)
            // Built into ASP.NET Core: request durations and Kestrel connections, no instrumentation package needed.
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            // The runtime's own meter (.NET 9+): allocation, GC pauses and collections, which the benchmark reads.
            .AddMeter("System.Runtime")
            .AddPrometheusExporter());
        builder.Services.AddCtsOpenApi();
        // Same silo as AddCtsSilo: UseOrleans configures the one silo builder of the host, whichever call comes first.
        // The live log stream (Trace) is off: it never ends a response and would stream host logs to a browser.
        builder.UseOrleans(silo => silo.AddDashboard(o => o.HideTrace = true));
        return builder;
    }

    public static WebApplication MapCtsObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireViewer();
        app.MapOpenApi(OpenApiPath).RequireViewer();
        app.MapGet(ApiDocsPath, () => Results.Content(ApiDocsPage.Html, "text/html; charset=utf-8"))
            .RequireViewer()
            .ExcludeFromDescription();
        // The dashboard's page and style sheet without the inline style and data: font the CSP blocks.
        DashboardPage.Map(app, DashboardPath, endpoint => endpoint.RequireAdmin().ExcludeFromDescription());
        app.MapOrleansDashboard(routePrefix: DashboardPath)
            .RequireAdmin()
            .WithDashboardGuard()
            .ExcludeFromDescription();
        return app;
    }
}
