using Cts.Functions.Api;
using Cts.Functions.Engines;
using Cts.Functions.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Hosting;

/// <summary>Host-wide conventions: where it listens, JSON, problem details, shutdown, health.</summary>
public static class HostDefaultsExtensions
{
    public const string DefaultUrls = "http://127.0.0.1:7071";

    public static WebApplicationBuilder AddCtsDefaults(this WebApplicationBuilder builder)
    {
        // Loopback unless told otherwise: a trading backend is not exposed by accident.
        if (string.IsNullOrEmpty(builder.Configuration["Urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        // A parameter that fails to bind must reach the endpoint filter that names it (Api/QueryBinding.cs), in every
        // environment: Development would otherwise throw, and the exception's text names .NET types.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        // SIGTERM: in-flight cycles finish and engines flush within this bound (SPEC §1, graceful shutdown).
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<EngineOptions>>((host, engine) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(engine.Value.ShutdownTimeoutSeconds));
        builder.Services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"])
            .AddCheck<SiloHealthCheck>("engine-host", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Unexpected failures become problem documents, never a bare 500 page: storage faults say so with 503 and a
    /// retry hint, anything else is a 500 problem without internals. A request the server refused because of the client
    /// (malformed, too large, a body too slow to arrive: a 4xx <see cref="BadHttpRequestException"/>) is the client's
    /// fault, not a failure: it is answered with its status and logged once at Information, without a stack trace.
    /// </summary>
    public static WebApplication UseCtsErrorHandling(this WebApplication app)
    {
        var clientErrors = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ClientErrorLog.Category);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => HandleAsync(context, clientErrors),
            // The middleware's own entry is an error with the stack trace: right for a server fault, wrong for a client's.
            SuppressDiagnosticsCallback = diagnostics => ClientErrorLog.IsClientError(diagnostics.Exception),
        });
        app.UseStatusCodePages();
        return app;
    }

    private static async Task HandleAsync(HttpContext context, ILogger clientErrors)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException badRequest)
        {
            // Malformed requests the server itself refused (size, framing, a slow body): the client's fault, said as such.
            if (ClientErrorLog.IsClientError(badRequest))
            {
                ClientErrorLog.Refused(clientErrors, context.Request.Method, context.Request.Path, badRequest.StatusCode, badRequest.Message,
                    ApiCaller.CorrelationId(context));
            }
            context.Response.StatusCode = badRequest.StatusCode;
            await Results.Problem(title: "Bad request", detail: badRequest.Message, statusCode: badRequest.StatusCode).ExecuteAsync(context);
            return;
        }
        // A storage outage however deeply the grain runtime wrapped it: still the storage, not the server.
        var storage = error is Azure.RequestFailedException or Orleans.Storage.InconsistentStateException
            || error?.InnerException is Azure.RequestFailedException || (error is not null && StorageFaults.IsUnavailable(error));
        var status = storage ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        context.Response.StatusCode = status;
        if (storage)
        {
            context.Response.Headers.RetryAfter = "5";
        }
        await Results.Problem(
            title: storage ? "Storage unavailable" : "Unexpected error",
            detail: storage ? "Durable storage could not be reached; nothing was acknowledged. Retry shortly." : "The request failed; see the server log with the correlation id.",
            statusCode: status,
            type: storage ? "https://cts.dev/problems/unavailable" : "https://cts.dev/problems/unexpected",
            extensions: new Dictionary<string, object?> { ["correlationId"] = ApiCaller.CorrelationId(context) }).ExecuteAsync(context);
    }

    /// <summary>Anonymous liveness and readiness (storage reachable, engine host up).</summary>
    public static WebApplication MapCtsHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
        }).AllowAnonymous();
        return app;
    }
}

/// <summary>Ready only while the tables answer.</summary>
public sealed class StorageHealthCheck(CtsTables tables) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var table = await tables.GetAsync(ConnectionStore.TableName, timeout.Token);
            await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: timeout.Token))
            {
                break;
            }
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or AggregateException)
        {
            return HealthCheckResult.Unhealthy("storage unreachable");
        }
    }
}

/// <summary>Ready only while the co-hosted silo is up and answers a grain call.</summary>
public sealed class SiloHealthCheck(IGrainFactory grains, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("engine host not running");
        }
        try
        {
            await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("engine host not answering");
        }
    }
}
