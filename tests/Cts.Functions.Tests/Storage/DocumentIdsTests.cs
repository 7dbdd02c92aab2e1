using Azure.Core;
using Azure.Core.Pipeline;
using Cts.Domain.Connections;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Storage;

/// <summary>
/// Listing the connections' ids (what the status board reconciles with every 30 s) returns every id and reads none of
/// the documents: storage is asked for the row key alone, and the documents never cross the wire.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DocumentIdsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_ids_come_back_in_order_without_their_documents()
    {
        var prefix = azurite.NewPrefix();
        var writer = new ConnectionStore(azurite.NewTables(prefix));
        var now = DateTimeOffset.UtcNow;
        foreach (var id in new[] { "ids-c", "ids-a", "ids-b" })
        {
            await writer.CreateAsync(new Connection(id, $"Desk document {id}", "paper", ["BTCUSDT"], null, false, false, 1, now, now));
        }
        var recorder = new ResponseRecorder();
        var reader = new ConnectionStore(PolicyTables.With(azurite.ConnectionString, prefix, recorder));

        var ids = await reader.ListIdsAsync();

        Assert.Equal(["ids-a", "ids-b", "ids-c"], ids);
        var query = Assert.Single(recorder.Queries);
        Assert.Contains("$select=RowKey", Uri.UnescapeDataString(query.Uri));
        Assert.Contains("ids-a", query.Body);
        Assert.DoesNotContain("Desk document", query.Body);
        Assert.Equal(3, (await reader.ListAllAsync()).Count(c => c.Value.Name.StartsWith("Desk document", StringComparison.Ordinal)));
    }

    /// <summary>Keeps the URI and body of every query of the connections table.</summary>
    private sealed class ResponseRecorder : HttpPipelinePolicy
    {
        private readonly List<(string Uri, string Body)> _queries = [];

        public IReadOnlyList<(string Uri, string Body)> Queries
        {
            get
            {
                lock (_queries)
                {
                    return _queries.Where(q => q.Uri.Contains("connections()", StringComparison.Ordinal)).ToList();
                }
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            Record(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            Record(message);
        }

        private void Record(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get)
            {
                return;
            }
            lock (_queries)
            {
                _queries.Add((message.Request.Uri.ToString(), message.Response.Content.ToString()));
            }
        }
    }
}
