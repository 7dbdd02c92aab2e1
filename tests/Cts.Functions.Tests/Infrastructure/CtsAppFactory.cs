using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using Cts.Functions.Tests.Contract;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// The real host in-process: HTTP pipeline, co-hosted Orleans silo on free loopback ports, storage on the shared
/// Azurite under a prefix of its own, and fast processor intervals so cycles are observable in tests.
/// </summary>
/// <remarks>
/// Every log entry the host writes at Debug or above is kept in <see cref="Logs"/>, whatever the host's own log filters
/// say. <paramref name="configureServices"/> runs after the host's own registrations (through
/// <c>ConfigureTestServices</c>), so a test can replace a service, e.g. the exchange factory, with a fault-injecting one:
/// <code>
/// await using var host = new CtsAppFactory(azurite, configureServices: services =>
/// {
///     services.RemoveAll&lt;IExchangeFactory&gt;();
///     services.AddSingleton(faultyFactory.Object);
/// });
/// </code>
/// </remarks>
public sealed class CtsAppFactory(
    AzuriteFixture azurite,
    IReadOnlyDictionary<string, string?>? overrides = null,
    Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<Program>
{
    public const int RealtimeMs = 100;
    public const int IndicationsMs = 200;
    public const int StrategiesMs = 200;

    public string Prefix { get; } = azurite.NewPrefix();

    public Cts.Functions.Storage.CtsTables Tables => azurite.NewTables(Prefix);

    /// <summary>Every entry the host has logged at <see cref="LogLevel.Debug"/> or above, with exception texts and structured values.</summary>
    public LogCapture Logs { get; } = new(LogLevel.Debug);

    /// <summary>
    /// Every response this host sends, checked against the served OpenAPI document when the host is disposed: a status
    /// code, media type or JSON body the document does not declare fails the test that caused it.
    /// </summary>
    public ContractRecorder Contract { get; } = new();

    /// <summary>A client that sends the given role's API key (admin unless said otherwise).</summary>
    public HttpClient CreateClient(string role)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.For(role));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:Prefix"] = Prefix,
            ["Orleans:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(),
            ["cts:engine:realtimeMs"] = RealtimeMs.ToString(),
            ["cts:engine:indicationsMs"] = IndicationsMs.ToString(),
            ["cts:engine:strategiesMs"] = StrategiesMs.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in TestKeys.Settings())
        {
            settings[key] = value;
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            // A provider-specific rule wins over the category rules of Logging:LogLevel, so the capture sees everything.
            logging.AddFilter<LogCapture>(null, Logs.MinimumLevel);
        });
        builder.ConfigureServices(services => services.AddSingleton(Contract.StartupFilter()));
        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }

    /// <summary>Stops the host, then fails if any response it sent broke the OpenAPI document (see <see cref="Contract"/>).</summary>
    public override async ValueTask DisposeAsync()
    {
        var violations = new List<string>();
        try
        {
            if (Contract.Exchanges.Count > 0)
            {
                violations = Contract.Verify(await ServedDocument.GetAsync(this));
                Contract.Export();
            }
        }
        finally
        {
            await base.DisposeAsync();
        }
        if (violations.Count > 0)
        {
            throw new ContractViolationException(violations);
        }
    }
}
