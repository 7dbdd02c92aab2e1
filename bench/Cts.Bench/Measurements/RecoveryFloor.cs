using System.Diagnostics;
using Azure;
using Azure.Data.Tables;

namespace Cts.Bench.Measurements;

/// <summary>
/// How fast Azurite alone serves what a recovery (or a start) of N engines asks of it, measured in the same run: per
/// engine the reads an engine makes when it starts or recovers (its state row, its connection row, its trading
/// partition) and as many state-sized writes as the host counted per engine while it did, at the host's own storage
/// concurrency (<c>CtsTables.MaxConnections</c>, 64). Recovery is reported as a multiple of this floor, and the bulk
/// start as a share of the rate it allows.
/// </summary>
public static class RecoveryFloor
{
    /// <summary>The host's bound on concurrent storage connections, which is the concurrency of its recovery.</summary>
    public const int HostConcurrency = 64;

    public sealed record Result(TimeSpan Elapsed, int Engines, int ReadsPerEngine, int WritesPerEngine, long Failures);

    public static async Task<Result> MeasureAsync(string connectionString, IReadOnlyList<string> engineIds, TableEntity stateTemplate, int writesPerEngine)
    {
        var service = new TableServiceClient(connectionString);
        var state = service.GetTableClient("ctsgrainstate");
        var connections = service.GetTableClient("ctsconnections");
        var trading = service.GetTableClient("ctstrading");
        var scratch = service.GetTableClient("benchfloor");
        await scratch.CreateIfNotExistsAsync();
        var connectionPartition = await PartitionOfAsync(connections, engineIds[0]);
        var columns = stateTemplate.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).ToList();
        long failures = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(engineIds, new ParallelOptions { MaxDegreeOfParallelism = HostConcurrency }, async (id, ct) =>
        {
            try
            {
                await state.GetEntityIfExistsAsync<TableEntity>(stateTemplate.PartitionKey, id, cancellationToken: ct);
                await connections.GetEntityIfExistsAsync<TableEntity>(connectionPartition, id, cancellationToken: ct);
                await foreach (var _ in trading.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), cancellationToken: ct))
                {
                }
                for (var w = 0; w < writesPerEngine; w++)
                {
                    var entity = new TableEntity("floor", $"{id}-{w}");
                    foreach (var (key, value) in columns)
                    {
                        entity[key] = value;
                    }
                    await scratch.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
                }
            }
            catch (RequestFailedException)
            {
                Interlocked.Increment(ref failures);
            }
        });
        var elapsed = clock.Elapsed;
        await scratch.DeleteAsync();
        return new Result(elapsed, engineIds.Count, 3, writesPerEngine, failures);
    }

    private static async Task<string> PartitionOfAsync(TableClient table, string rowKey)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {rowKey}"), select: ["PartitionKey"]))
        {
            return row.PartitionKey;
        }
        throw new InvalidOperationException($"no row {rowKey} in {table.Name}");
    }
}
