using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;

namespace Cts.Functions.Storage;

/// <summary>
/// Wires CTS' own Azure Table implementations of Orleans grain storage and reminders into a silo (Orleans'
/// Azure providers are not available to us).
/// </summary>
/// <remarks>
/// The host is expected to register <see cref="CtsTables"/> with bound <see cref="StorageOptions"/>; if it did
/// not, a <see cref="CtsTables"/> built from <c>IOptions&lt;StorageOptions&gt;</c> is added as a fallback.
/// </remarks>
public static class StorageSiloBuilderExtensions
{
    /// <summary>Adds a <see cref="TableGrainStorage"/> named <paramref name="name"/> (used by <c>[PersistentState(..., name)]</c>).</summary>
    public static ISiloBuilder AddTableGrainStorage(this ISiloBuilder builder, string name)
    {
        TryAddCtsTables(builder.Services);
        builder.Services.AddGrainStorage(name, (sp, storageName) => new TableGrainStorage(
            storageName,
            sp.GetRequiredService<CtsTables>(),
            sp.GetRequiredService<Serializer>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<TableGrainStorage>>()));
        return builder;
    }

    /// <summary>Adds a <see cref="TableGrainStorage"/> as the storage used by grains that name none.</summary>
    public static ISiloBuilder AddTableGrainStorageAsDefault(this ISiloBuilder builder) =>
        builder.AddTableGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    /// <summary>Enables reminders, kept durably in <see cref="TableReminderTable"/>.</summary>
    public static ISiloBuilder UseTableReminders(this ISiloBuilder builder)
    {
        TryAddCtsTables(builder.Services);
        builder.AddReminders();
        builder.Services.AddSingleton<IReminderTable, TableReminderTable>();
        return builder;
    }

    private static void TryAddCtsTables(IServiceCollection services)
    {
        services.AddOptions<StorageOptions>();
        services.TryAddSingleton(sp => new CtsTables(sp.GetRequiredService<IOptions<StorageOptions>>()));
    }
}
