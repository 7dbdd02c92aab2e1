using Azure.Data.Tables;

namespace Cts.Bench.Measurements;

/// <summary>
/// What the storage SDK (Azure.Data.Tables) allocates for one write, measured in this process against the same Azurite
/// with the host's transaction policy (<c>TransactionBodyOnce</c>, compiled in from the host's source):
/// a single upsert, and a transaction of four upserts (the shape of an order's completion: intent, fill, summary,
/// position). The host's allocation in the window is then split into what its writes cost inside the SDK (writes
/// counted by the host × these) and the rest, which is the host's own code: a transaction's multipart request and
/// response cost the SDK tens of kilobytes, however small its entities.
/// </summary>
public static class SdkWriteAllocation
{
    public sealed record Result(double BytesPerSingleWrite, double BytesPerTransaction, int ActionsPerTransaction);

    private const int ActionsPerTransaction = 4;
    private const int WarmUp = 20;
    private const int Measured = 200;

    public static async Task<Result> MeasureAsync(string connectionString, TableEntity template)
    {
        var options = new TableClientOptions();
        options.AddPolicy(new Cts.Functions.Storage.TransactionBodyOnce(), Azure.Core.HttpPipelinePosition.PerRetry);
        var table = new TableServiceClient(connectionString, options).GetTableClient("benchsdkallocation");
        await table.CreateIfNotExistsAsync();
        var columns = template.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).ToList();
        TableEntity Row(int i)
        {
            var entity = new TableEntity("allocation", $"row-{i % 64:D2}");
            foreach (var (key, value) in columns)
            {
                entity[key] = value;
            }
            return entity;
        }
        async Task Single(int i) => await table.UpsertEntityAsync(Row(i), TableUpdateMode.Replace);
        async Task Transaction(int i) => await table.SubmitTransactionAsync(Enumerable.Range(0, ActionsPerTransaction)
            .Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(i * ActionsPerTransaction + a))).ToList());

        var single = await PerCallAsync(Single);
        var transaction = await PerCallAsync(Transaction);
        await table.DeleteAsync();
        return new Result(single, transaction, ActionsPerTransaction);
    }

    /// <summary>Bytes allocated by the whole process per call, over calls made one after another (the bench is otherwise idle then).</summary>
    private static async Task<double> PerCallAsync(Func<int, Task> call)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            await call(i);
        }
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Measured; i++)
        {
            await call(i);
        }
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Measured;
    }
}
