using System.Net;
using Azure.Storage.Blobs;
using Cts.Functions.Retention;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Retention;

/// <summary>The archive over HTTP, and the retention grain run through the host.</summary>
public sealed class ArchiveApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task Archive_blobs_are_listed_and_read_back_decompressed()
    {
        var archive = new ArchiveStore(new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(Host.Prefix + "archive"));
        var path = await archive.WriteAsync("audit", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), ["""{"a":1}""", """{"a":2}"""]);
        Assert.Equal("audit/2026-01-02-030405.jsonl.gz", path);

        var list = (await (await Client.GetAsync("/api/archive")).JsonAsync())!;
        Assert.Equal("2026-01-02-030405.jsonl.gz", list["items"]![0]!["name"]!.GetValue<string>());
        var read = await Client.GetAsync("/api/archive/audit/2026-01-02-030405.jsonl.gz");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("application/x-ndjson", read.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"a\":1}\n{\"a\":2}\n", await read.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/archive/audit/2026-01-01-000000.jsonl.gz")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/api/archive/secrets/2026-01-01-000000.jsonl.gz")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/api/archive/audit/x.json")).StatusCode);
    }

    [Fact]
    public async Task The_retention_grain_runs_a_pass_on_request()
    {
        _ = Host.CreateClient();
        var grains = Host.Services.GetRequiredService<IGrainFactory>();
        var report = await grains.GetGrain<IRetentionGrain>(0).RunOnce();
        Assert.Equal(0, report.AuditArchived);
        Assert.Null(report.PositionsBlob);
    }
}
