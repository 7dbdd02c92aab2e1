using Azure.Storage.Blobs;
using Cts.Functions.Retention;
using Cts.Functions.Storage;
using Cts.Functions.Backups;
using Microsoft.Extensions.Options;

// In the hosting namespace, which Program.cs already imports.
namespace Cts.Functions.Hosting;

/// <summary>Wiring of configuration backups (snapshots, export/import, restore) and history retention.</summary>
public static class BackupsServiceCollectionExtensions
{
    public const string BackupsContainer = "backups";
    public const string ArchiveContainer = "archive";

    public static IServiceCollection AddCtsBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupOptions>().Bind(configuration.GetSection(BackupOptions.Section));
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var container = new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(storage.Prefix + BackupsContainer);
            return new BackupStore(container, sp.GetRequiredService<IOptions<BackupOptions>>().Value.Keep, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new ArchiveStore(new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(storage.Prefix + ArchiveContainer));
        });
        services.AddSingleton<ConfigSnapshotter>();
        // One snapshot pump per node; as a hosted service it takes the pending snapshot at shutdown.
        services.AddSingleton<SnapshotPump>();
        services.AddHostedService(sp => sp.GetRequiredService<SnapshotPump>());
        services.AddSingleton<ConfigImportAudit>();
        services.AddSingleton<ConfigImporter>();
        services.AddSingleton<RetentionArchiver>();
        services.AddSingleton<OrphanEngineSweeper>();
        services.AddSingleton<BacktestSweeper>();
        services.AddHostedService<RetentionStarter>();
        return services;
    }
}
