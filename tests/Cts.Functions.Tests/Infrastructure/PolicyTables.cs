using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Cts.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// <see cref="CtsTables"/> whose table client runs a fault-injecting pipeline policy on every try (after the client's
/// own retry policy, so a retry meets the policy again; on both lanes, after the trading lane's in-flight limit), for a
/// store under test or for a whole host.
/// </summary>
public static class PolicyTables
{
    public static CtsTables With(string connectionString, string prefix, HttpPipelinePolicy policy) =>
        new(Client(connectionString, prefix, StorageLane.Control, policy), Client(connectionString, prefix, StorageLane.Trading, policy), prefix);

    private static TableServiceClient Client(string connectionString, string prefix, StorageLane lane, HttpPipelinePolicy policy)
    {
        var options = CtsTables.ClientOptions(prefix, lane);
        options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        return new TableServiceClient(connectionString, options);
    }

    /// <summary>Registers the host's <see cref="CtsTables"/> with <paramref name="policy"/> in its client (for <c>configureServices</c>).</summary>
    public static void Install(IServiceCollection services, HttpPipelinePolicy policy)
    {
        services.RemoveAll<CtsTables>();
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return With(storage.ConnectionString, storage.Prefix, policy);
        });
    }
}
