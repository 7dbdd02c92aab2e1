using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Security;

/// <summary>Request bodies are limited to 64 KiB: larger ones are refused with 413 before anything is written.</summary>
public sealed class RequestLimitsTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task Body_of_70_KiB_is_413_problem_and_nothing_is_written()
    {
        var body = ConnectionJson("big", 70 * 1024);

        var response = await Client.PostAsync("/api/connections", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertTooLargeAsync(response);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Body_of_70_KiB_without_a_Content_Length_is_413_problem_and_nothing_is_written()
    {
        var bytes = Encoding.UTF8.GetBytes(ConnectionJson("big", 70 * 1024));
        // A non-seekable stream: the length is not known up front, so the limit must hold while the body is read.
        var content = new StreamContent(new NonSeekableStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await Client.PostAsync("/api/connections", content);

        Assert.Null(content.Headers.ContentLength);
        await AssertTooLargeAsync(response);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Body_of_60_KiB_is_not_refused_as_too_large()
    {
        var body = ConnectionJson("big", 60 * 1024);

        var response = await Client.PostAsync("/api/connections", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        // Read and judged on its merits: the name is far too long.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())!["errors"]!["name"]);
    }

    /// <summary>A connection whose name pads the JSON to exactly <paramref name="bytes"/> bytes.</summary>
    private static string ConnectionJson(string id, int bytes)
    {
        var shell = $$"""{"id":"{{id}}","name":"","exchange":"paper","symbols":["BTCUSDT"]}""";
        var json = shell.Replace("\"name\":\"\"", $"\"name\":\"{new string('x', bytes - shell.Length)}\"", StringComparison.Ordinal);
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(json));
        return json;
    }

    private static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(413, (await response.JsonAsync())!["status"]!.GetValue<int>());
    }

    private async Task AssertNothingWrittenAsync()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/connections/big")).StatusCode);
        foreach (var name in new[] { "connections", "audit" })
        {
            var table = await Host.Tables.GetAsync(name);
            var rows = 0;
            await foreach (var _ in table.QueryAsync<TableEntity>())
            {
                rows++;
            }
            Assert.True(rows == 0, $"{rows} rows in {name}");
        }
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}

/// <summary>
/// The same limit on the real server: the built host as its own process behind Kestrel, whose own body-size limit
/// (which the in-process test server does not have) is what a chunked body runs into.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RequestLimitsKestrelTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task On_Kestrel_a_body_over_64_KiB_is_413_problem_with_or_without_a_Content_Length()
    {
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix());
        await host.StartAsync();
        var big = Encoding.UTF8.GetBytes(
            $$"""{"id":"big","name":"{{new string('x', 70 * 1024)}}","exchange":"paper","symbols":["BTCUSDT"]}""");
        var fits = Encoding.UTF8.GetBytes(
            $$"""{"id":"big","name":"{{new string('x', 60 * 1024)}}","exchange":"paper","symbols":["BTCUSDT"]}""");

        var declared = await PostAsync(host, new ByteArrayContent(big));
        var fitsChunked = await PostAsync(host, new StreamContent(new ChunkedStream(fits)));
        var chunked = await PostAsync(host, new StreamContent(new ChunkedStream(big)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.Status);
        Assert.Equal(HttpStatusCode.BadRequest, fitsChunked.Status); // read and judged: the name is too long
        Assert.True(chunked.Status == HttpStatusCode.RequestEntityTooLarge,
            $"chunked 70 KiB body: {(int)chunked.Status} {chunked.Body}{Environment.NewLine}{host.OutputTail(10)}");
        Assert.Equal("application/problem+json", chunked.MediaType);
        var connections = await host.Client.GetAsync("/api/connections/big");
        Assert.Equal(HttpStatusCode.NotFound, connections.StatusCode);
    }

    /// <summary>Each on a new connection: Kestrel closes one whose oversized body it could not drain.</summary>
    private static async Task<(HttpStatusCode Status, string? MediaType, string Body)> PostAsync(HostProcess host, HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Admin);
        var response = await client.PostAsync("/api/connections", content);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A body of unknown length, so HttpClient sends it chunked, without a Content-Length.</summary>
    private sealed class ChunkedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
