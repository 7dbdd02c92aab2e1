using System.Net;
using Azure.Data.Tables;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Api;

/// <summary>Bad input gets a 400/404 problem document and writes nothing.</summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class ValidationApiTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    public static TheoryData<string, string, string> BadConnections => new()
    {
        { """{"id":"Bad_Id","name":"x","exchange":"paper","symbols":["BTCUSDT"]}""", "id", "uppercase and underscore in id" },
        { """{"id":"-lead","name":"x","exchange":"paper","symbols":["BTCUSDT"]}""", "id", "leading dash" },
        { """{"id":"ok","exchange":"paper","symbols":["BTCUSDT"]}""", "name", "missing name" },
        { """{"id":"ok","name":"x","exchange":"kraken","symbols":["BTCUSDT"]}""", "exchange", "unknown exchange" },
        { """{"id":"ok","name":"x","exchange":"paper","symbols":[]}""", "symbols", "no symbols" },
        { """{"id":"ok","name":"x","exchange":"paper","symbols":["btc/usdt"]}""", "symbols", "malformed symbol" },
        { """{"id":"ok","name":"x","exchange":"paper","symbols":["BTCUSDT"],"apiKeyPlain":"x"}""", "apiKeyPlain", "unknown field" },
        { """{"id":"ok","name":"x","exchange":"paper","symbols":"BTCUSDT"}""", "symbols", "wrong type" },
        { """{"id":"ok","name":"x",""", "body", "truncated JSON" },
        { "", "body", "empty body" },
    };

    [Theory]
    [MemberData(nameof(BadConnections))]
    public async Task Invalid_connection_is_400_with_the_field_named_and_nothing_is_written(string body, string field, string why)
    {
        var response = await Client.PostJsonAsync("/api/connections", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.JsonAsync())!;
        Assert.NotNull(problem["errors"]![field]);
        Assert.Empty(await RowsAsync("connections"));
    }

    [Theory]
    [InlineData("/api/engines/Bad_Id")]
    [InlineData("/api/connections/UPPER")]
    public async Task Malformed_id_in_a_read_is_400(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())!["errors"]!["id"]);
    }

    [Fact]
    public async Task Malformed_id_or_body_in_an_action_is_400_and_the_engine_is_untouched()
    {
        await Client.CreatePaperConnectionAsync("p1");
        (await Client.PostAsync("/api/connections/p1/enable", null)).EnsureSuccessStatusCode();
        var auditBefore = (await RowsAsync("audit")).Count;

        var badId = await Client.PostAsync("/api/engines/P1!/start", null);
        var unknownField = await Client.PostJsonAsync("/api/engines/p1/start", """{"reason":"x","force":true}""");
        var closeOnStart = await Client.PostJsonAsync("/api/engines/p1/start", """{"closePositions":true}""");
        var notJson = await Client.PostJsonAsync("/api/engines/p1/start", "start now");
        var aliasWithoutId = await Client.PostJsonAsync("/api/trade-engine/start", "{}");

        Assert.All(new[] { badId, unknownField, closeOnStart, notJson, aliasWithoutId },
            r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal("Enabled", (await Client.StatusAsync("p1")).State());
        Assert.Equal(auditBefore, (await RowsAsync("audit")).Count);
    }

    [Theory]
    [InlineData("GET", "/api/engines/ghost")]
    [InlineData("POST", "/api/engines/ghost/start")]
    [InlineData("POST", "/api/engines/ghost/stop")]
    [InlineData("GET", "/api/connections/ghost")]
    [InlineData("POST", "/api/connections/ghost/enable")]
    [InlineData("DELETE", "/api/connections/ghost")]
    [InlineData("GET", "/api/trade-engine/status?connectionId=ghost")]
    public async Task Unknown_connection_is_404_problem_and_creates_no_engine(string method, string url)
    {
        var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await RowsAsync("grainstate"));
    }

    [Fact]
    public async Task Unknown_engine_action_is_404()
    {
        await Client.CreatePaperConnectionAsync("p1");
        var response = await Client.PostAsync("/api/engines/p1/explode", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/engines?top=0")]
    [InlineData("/api/engines?top=5000")]
    [InlineData("/api/engines?state=Sleeping")]
    public async Task Bad_status_all_query_is_400(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<List<TableEntity>> RowsAsync(string table)
    {
        var client = await Host.Tables.GetAsync(table);
        var rows = new List<TableEntity>();
        await foreach (var row in client.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }
        return rows;
    }
}
