using Cts.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cts.Functions.Tests.Hosting;

/// <summary>
/// A host stopped by a failed background service exits with a failure code, so a supervisor restarts it; a host
/// stopped on request, with every service healthy, exits with 0.
/// </summary>
public sealed class HostExitCodeTests
{
    private static IHost Host(BackgroundService service)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHostedService(_ => service);
        return builder.Build();
    }

    [Fact]
    public async Task A_background_service_that_failed_after_starting_stops_the_host_and_the_exit_code_says_so()
    {
        using var host = Host(new FailsAfterStarting());
        var exit = HostExitCode.Watch(host.Services);

        // The failure stops the host by itself; RunAsync returns normally, as it does on .NET 10.
        await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HostExitCode.Failed, exit.Code);
    }

    [Fact]
    public async Task A_host_stopped_on_request_with_healthy_services_exits_with_zero()
    {
        using var host = Host(new RunsUntilStopped());
        var exit = HostExitCode.Watch(host.Services);
        await host.StartAsync();

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit.Code);
    }

    private sealed class FailsAfterStarting : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("the reconcile failed");
        }
    }

    private sealed class RunsUntilStopped : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
