using System.Diagnostics;
using Azure.Data.Tables;

namespace Cts.Bench.Measurements;

/// <summary>
/// Azurite's own write rate on this machine: upserts of a copy of a real engine state row into a scratch table, with
/// bounded concurrency. Storage-bound figures are reported as a ratio to it so they compare across machines.
/// </summary>
public static class RawWrites
{
    public sealed record Result(double WritesPerSecond, int EntityBytes, int Concurrency, long Failures);

    /// <summary>One engine's row of the host's grain state table, the template for the scratch writes.</summary>
    public static async Task<TableEntity> EngineRowAsync(string connectionString, string engineId)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("ctsgrainstate");
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.RowKey == engineId))
        {
            return row;
        }
        throw new InvalidOperationException($"no grain state row for {engineId} in ctsgrainstate");
    }

    public static async Task<Result> MeasureAsync(string connectionString, TableEntity template, TimeSpan duration, int concurrency)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("benchscratch");
        await table.CreateIfNotExistsAsync();
        var columns = template.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).ToList();
        long written = 0, failed = 0, next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var entity = new TableEntity("scratch", $"row-{Interlocked.Increment(ref next) % 10_000:D5}");
                foreach (var (key, value) in columns)
                {
                    entity[key] = value;
                }
                try
                {
                    await table.UpsertEntityAsync(entity, TableUpdateMode.Replace);
                    Interlocked.Increment(ref written);
                }
                catch (Azure.RequestFailedException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        var rate = written / clock.Elapsed.TotalSeconds;
        await table.DeleteAsync();
        return new Result(rate, SizeOf(columns), concurrency, failed);
    }

    /// <summary>Approximate payload bytes of the row's columns (binary and string values, 8 per other value).</summary>
    private static int SizeOf(IEnumerable<KeyValuePair<string, object>> columns) => columns.Sum(c => c.Key.Length + c.Value switch
    {
        byte[] bytes => bytes.Length,
        BinaryData data => data.ToArray().Length,
        string text => text.Length,
        _ => 8,
    });
}
