namespace Cts.Functions.Hosting;

/// <summary>
/// The process's exit code once the host has stopped. A background service that fails stops the host
/// (<see cref="BackgroundServiceExceptionBehavior.StopHost"/>), but on .NET 10 the host then returns normally and the
/// process would exit with 0, which a supervisor (systemd, Kubernetes, a Functions-style host) reads as a clean stop
/// and does not restart: seen when a 10,000-engine recovery stopped the host that way. So a failed service means 1.
/// The services are taken before the host runs, because running it disposes its service provider.
/// </summary>
public sealed class HostExitCode
{
    public const int Failed = 1;

    private readonly IReadOnlyList<BackgroundService> _services;

    private HostExitCode(IReadOnlyList<BackgroundService> services) => _services = services;

    /// <summary>The background services of <paramref name="services"/>, to be asked how they ended after the host stopped.</summary>
    public static HostExitCode Watch(IServiceProvider services) =>
        new(services.GetServices<IHostedService>().OfType<BackgroundService>().ToList());

    public int Code => _services.Any(s => s.ExecuteTask is { IsFaulted: true }) ? Failed : 0;
}
