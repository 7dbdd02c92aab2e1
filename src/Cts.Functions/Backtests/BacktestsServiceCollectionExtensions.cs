using Azure.Storage.Blobs;
using Cts.Functions.Backtests;
using Cts.Functions.Storage;
using Microsoft.Extensions.Options;

// In the hosting namespace, which Program.cs already imports.
namespace Cts.Functions.Hosting;

/// <summary>Wiring of backtests: their stores (tables and the blob container), the command facade, the chart read and the boot scan.</summary>
public static class BacktestsServiceCollectionExtensions
{
    public static IServiceCollection AddCtsBacktests(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new BacktestStore(sp.GetRequiredService<CtsTables>(),
                new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(storage.Prefix + BacktestStore.Container));
        });
        services.AddSingleton<CandleStore>();
        services.AddSingleton<BacktestService>();
        services.AddSingleton<BacktestChartService>();
        // Backtests that were running before a crash or restart resume at boot from their checkpoints.
        services.AddHostedService<BacktestBootRecovery>();
        return services;
    }
}
