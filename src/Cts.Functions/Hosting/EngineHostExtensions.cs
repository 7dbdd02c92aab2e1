using Cts.Domain.Exchanges;
using Cts.Domain.Trading;
using System.Net;
using Cts.Domain.Market;
using Cts.Functions.Engines;
using Cts.Functions.Exchanges;
using Cts.Functions.Exchanges.Binance;
using Cts.Functions.Storage;
using Orleans.Configuration;

namespace Cts.Functions.Hosting;

/// <summary>Wiring of the engine host: storage, the Orleans silo the engines live in, and the services around them.</summary>
public static class EngineHostExtensions
{
    /// <summary>Storage adapters on Azure Tables: the owners of configuration, audit and (through Orleans) engine state.</summary>
    public static IServiceCollection AddCtsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddSingleton<CtsTables>();
        services.AddSingleton<ConnectionStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<EngineRecords>();
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<PresetStore>();
        services.AddSingleton<PositionStore>();
        return services;
    }

    /// <summary>Engines and what they need: the clock, the paper market, exchange adapters and the command facade.</summary>
    public static IServiceCollection AddCtsEngines(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new PaperMarket(configuration.GetValue<ulong?>("Paper:Seed") ?? 42));
        services.AddSingleton(new PaperFillModel());
        services.AddSingleton(sp => new PaperLedgers(sp.GetRequiredService<CtsTables>(),
            configuration.GetValue<decimal?>("Paper:StartingQuoteBalance") ?? PaperLedger.DefaultStartingQuoteBalance));
        services.AddSingleton<ExchangeResiliencePipelines>();
        // Binance spot: the node's venues (HTTP with the standard resilience handler, clock, weight, rules, shared polls).
        services.AddCtsBinance(configuration);
        services.AddSingleton<IExchangeFactory, ExchangeFactory>();
        services.AddSingleton<ConnectionTester>();
        services.AddSingleton<EngineService>();
        // status-all reads this projection, fed by the live events; it reconciles with the connections table itself.
        services.AddSingleton<EngineStatusBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineStatusBoard>());
        services.AddSingleton<EngineRunBuilder>();
        // Bounds the engines' background writes in flight, so flushes never crowd out transitions, intents and audit.
        services.AddSingleton<BackgroundWriteSlots>();
        // Probes storage every second, so engines that write rarely still know at once when they cannot persist.
        services.AddSingleton<StorageWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageWatch>());
        services.AddSingleton<Live.EngineEventBus>();
        // Forwards the live events of this node's engines to the other nodes of the cluster and takes theirs.
        services.AddHostedService<Live.ClusterEventRelay>();
        // Alerts leave the process: the webhook client gets the standard resilience handler (timeouts, retries, breaker).
        services.AddHttpClient(Alerts.AlertPublisher.WebhookClient).AddStandardResilienceHandler();
        services.AddSingleton<Alerts.AlertPublisher>();
        services.AddSingleton<Config.ConnectionService>();
        services.AddSingleton<Config.PresetService>();
        services.AddSingleton<Config.SettingsService>();
        // Brings engines that were active before a crash or restart back at boot, without waiting for their reminder,
        // a bounded number at a time however many wake at once.
        services.AddSingleton<EngineRecoveryQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineRecoveryQueue>());
        services.AddHostedService<EngineBootRecovery>();
        return services;
    }

    /// <summary>
    /// The Orleans silo, co-hosted in this process, with configurable ports (tests pick free ones); grain state and
    /// reminders on Azure Tables so engines survive restarts. <c>Orleans:Membership</c> chooses how nodes find each
    /// other: <c>Development</c> (the default: one node, or a fixed primary) or <c>AzureTable</c> (a cluster of any
    /// size whose membership table <c>{prefix}silos</c> lives in the same storage account). Nodes advertise and listen
    /// on <c>Orleans:AdvertisedIP</c> (default 127.0.0.1).
    /// </summary>
    public static WebApplicationBuilder AddCtsSilo(this WebApplicationBuilder builder)
    {
        builder.UseOrleans(silo =>
        {
            if (string.Equals(builder.Configuration["Orleans:Membership"], "AzureTable", StringComparison.OrdinalIgnoreCase))
            {
                silo.UseAzureStorageClustering(options => options.Configure<IConfiguration>((o, cfg) =>
                {
                    var storage = cfg.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
                    o.TableServiceClient = new Azure.Data.Tables.TableServiceClient(storage.ConnectionString);
                    o.TableName = storage.Prefix + "silos";
                }));
            }
            else
            {
                // Ports are read when the options are built, not now, so test hosts can override them.
                silo.UseDevelopmentClustering(options => options.Configure<IConfiguration>((o, cfg) =>
                    o.PrimarySiloEndpoint = new IPEndPoint(AdvertisedIP(cfg), cfg.GetValue("Orleans:PrimarySiloPort", SiloPort(cfg)))));
            }
            silo.Services.AddOptions<EndpointOptions>().Configure<IConfiguration>((o, cfg) =>
            {
                o.AdvertisedIPAddress = AdvertisedIP(cfg);
                o.SiloPort = SiloPort(cfg);
                o.GatewayPort = cfg.GetValue("Orleans:GatewayPort", 30000);
                o.SiloListeningEndpoint = new IPEndPoint(o.AdvertisedIPAddress, o.SiloPort);
                o.GatewayListeningEndpoint = new IPEndPoint(o.AdvertisedIPAddress, o.GatewayPort);
            });
            silo.Services.AddOptions<ClusterOptions>().Configure<IConfiguration>((o, cfg) =>
            {
                o.ClusterId = cfg.GetValue("Orleans:ClusterId", "cts")!;
                o.ServiceId = cfg.GetValue("Orleans:ServiceId", "cts")!;
            });
            silo.AddTableGrainStorage(EngineGrain.StorageName);
            silo.UseTableReminders();
        });
        return builder;
    }

    private static int SiloPort(IConfiguration cfg) => cfg.GetValue("Orleans:SiloPort", 11111);

    private static IPAddress AdvertisedIP(IConfiguration cfg) =>
        IPAddress.TryParse(cfg["Orleans:AdvertisedIP"], out var address) ? address : IPAddress.Loopback;
}
