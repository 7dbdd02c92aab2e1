using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Storage;

/// <summary>
/// A storage transaction's body is written once and sent as one buffer whose length needs no formatting, on Azurite:
/// every row lands, and a try that fails on the way is sent again with the same body, written afresh from the SDK's own.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TransactionBodyOnceTests(AzuriteFixture azurite)
{
    private static IEnumerable<TableTransactionAction> Rows(string partition) => Enumerable.Range(0, 4).Select(i =>
        new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, $"row-{i}") { ["Text"] = $"value é {i} \"quoted\"" }));

    [Fact]
    public async Task A_transaction_is_sent_as_one_written_body_and_every_row_lands()
    {
        var recorder = new TransactionTries();
        var table = await PolicyTables.With(azurite.ConnectionString, azurite.NewPrefix(), recorder).GetAsync("journal");

        await table.SubmitTransactionAsync(Rows("p1"));

        var sent = Assert.Single(recorder.Bodies);
        Assert.True(recorder.LengthKnown, "the body's length was not known without writing it");
        Assert.All(Enumerable.Range(0, 4), i => Assert.Contains($"RowKey='row-{i}'", sent));
        var stored = await table.QueryAsync<TableEntity>(e => e.PartitionKey == "p1").ToListAsync();
        Assert.Equal(["row-0", "row-1", "row-2", "row-3"], stored.Select(e => e.RowKey));
        Assert.All(stored, e => Assert.StartsWith("value é ", e.GetString("Text")));
    }

    [Fact]
    public async Task A_try_that_fails_is_sent_again_with_the_same_body_and_lands()
    {
        var recorder = new TransactionTries { FailFirst = true };
        var table = await PolicyTables.With(azurite.ConnectionString, azurite.NewPrefix(), recorder).GetAsync("journal");

        await table.SubmitTransactionAsync(Rows("p2"));

        Assert.Equal(2, recorder.Bodies.Count);
        Assert.Equal(recorder.Bodies[0], recorder.Bodies[1]);
        Assert.Equal(4, (await table.QueryAsync<TableEntity>(e => e.PartitionKey == "p2").ToListAsync()).Count);
    }

    [Fact]
    public async Task Writing_the_body_once_allocates_less_per_transaction_than_the_sdks_own_body()
    {
        var prefix = azurite.NewPrefix();
        var once = await new CtsTables(new TableServiceClient(azurite.ConnectionString, CtsTables.ClientOptions(prefix)), prefix).GetAsync("journal");
        var plain = new TableServiceClient(azurite.ConnectionString).GetTableClient(once.Name);

        // Synchronous: the whole pipeline runs on this thread, so its allocation is this thread's.
        static long PerTransaction(TableClient table)
        {
            for (var i = 0; i < 5; i++)
            {
                table.SubmitTransaction(Rows("warm"));
            }
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 20; i++)
            {
                table.SubmitTransaction(Rows($"p{i}"));
            }
            return (GC.GetAllocatedBytesForCurrentThread() - before) / 20;
        }
        var sdk = PerTransaction(plain);
        var written = PerTransaction(once);

        Assert.True(written < sdk * 0.9, $"{written} bytes per transaction with the body written once, {sdk} with the SDK's own");
    }

    /// <summary>Keeps the body of every transaction try as it reaches the transport; fails the first with a network error when told to.</summary>
    private sealed class TransactionTries : HttpPipelinePolicy
    {
        public List<string> Bodies { get; } = [];

        public bool LengthKnown { get; private set; } = true;

        public bool FailFirst { get; init; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Record(HttpMessage message)
        {
            if (!message.Request.Uri.ToString().Contains("$batch", StringComparison.Ordinal))
            {
                return;
            }
            using var body = new MemoryStream();
            message.Request.Content!.WriteTo(body, CancellationToken.None);
            LengthKnown &= message.Request.Content.TryComputeLength(out var length) && length == body.Length;
            lock (Bodies)
            {
                Bodies.Add(Encoding.UTF8.GetString(body.ToArray()));
                if (FailFirst && Bodies.Count == 1)
                {
                    throw new IOException("connection reset by the test");
                }
            }
        }
    }
}
