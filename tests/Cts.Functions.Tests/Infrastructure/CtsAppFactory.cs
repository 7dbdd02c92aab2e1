using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// The real host in-process: HTTP pipeline, co-hosted Orleans silo on free loopback ports, storage on the shared
/// Azurite under a prefix of its own, and fast processor intervals so cycles are observable in tests.
/// </summary>
public sealed class CtsAppFactory(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? overrides = null)
    : WebApplicationFactory<Program>
{
    public const int RealtimeMs = 100;
    public const int IndicationsMs = 200;
    public const int StrategiesMs = 200;

    public string Prefix { get; } = azurite.NewPrefix();

    public Cts.Functions.Storage.CtsTables Tables => azurite.NewTables(Prefix);

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
    }
}
