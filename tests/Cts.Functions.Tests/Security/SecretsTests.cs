using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Security;

/// <summary>
/// Exchange credentials are write-only: after a request carries them in, no response, header, log line or stored row
/// ever holds the plaintext again; only the masked key and <c>hasSecret</c> are shown.
/// </summary>
public sealed class SecretsTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    // Distinctive values that cannot appear anywhere by accident. Only characters JSON never escapes, so a plaintext
    // inside a JSON body or column is found as is (JSON text is also scanned unescaped, see Texts).
    private const string ApiKey1 = "AKIAQX7ZKM4P2R9T6W3Y8VHJ";
    private const string ApiSecret1 = "s3cr3t-Wq9_Zx-Lm2Kp7Rt4Vb6Nc8Hd1Jf5Gs0Ay-one";
    private const string ApiKey2 = "AKIAJ5N8B2C7D4E1F9G6H3KL";
    private const string ApiSecret2 = "s3cr3t-Pq1_Yx-Wm8Lk3Zt6Rb9Mc2Nd5Hf7Js4Gy-two";

    private static readonly string[] Plaintexts = [ApiKey1, ApiSecret1, ApiKey2, ApiSecret2];

    private readonly List<string> _seen = [];

    [Fact]
    public async Task Credentials_never_leave_in_plaintext_through_responses_logs_or_storage()
    {
        var created = await SendAsync(HttpMethod.Post, "/api/connections", Body("sec1", ["BTCUSDT"], ApiKey1, ApiSecret1));
        Assert.Equal(HttpStatusCode.Created, created.Response.StatusCode);
        AssertMasked(created.Json, ApiKey1);

        var one = await SendAsync(HttpMethod.Get, "/api/connections/sec1");
        Assert.Equal(HttpStatusCode.OK, one.Response.StatusCode);
        AssertMasked(one.Json, ApiKey1);

        var list = await SendAsync(HttpMethod.Get, "/api/connections");
        AssertMasked(Assert.Single(list.Json["connections"]!.AsArray())!, ApiKey1);

        // The engine reads and decrypts the credentials when it starts and again after a change.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/connections/sec1/enable")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/engines/sec1/start")).Response.StatusCode);

        var replaced = await SendAsync(HttpMethod.Put, "/api/connections/sec1", Body(null, ["BTCUSDT", "ETHUSDT"], ApiKey2, ApiSecret2));
        Assert.Equal(HttpStatusCode.OK, replaced.Response.StatusCode);
        AssertMasked(replaced.Json, ApiKey2);
        AssertMasked((await SendAsync(HttpMethod.Get, "/api/connections/sec1")).Json, ApiKey2);

        var restarted = await SendAsync(HttpMethod.Post, "/api/engines/sec1/restart");
        Assert.Equal(HttpStatusCode.OK, restarted.Response.StatusCode);
        await SendAsync(HttpMethod.Get, "/api/engines/sec1");
        await SendAsync(HttpMethod.Get, "/api/engines");
        var audit = await SendAsync(HttpMethod.Get, "/api/audit?connectionId=sec1");
        Assert.Contains(audit.Json["entries"]!.AsArray(), e => e!["reason"]?.GetValue<string>().Contains("credentials") == true);

        foreach (var secret in Plaintexts)
        {
            Assert.DoesNotContain(_seen, text => text.Contains(secret, StringComparison.Ordinal));
        }
        AssertNotLogged();
        await AssertNotStoredAsync(expectRows: true);
    }

    [Fact]
    public async Task The_stored_connection_row_holds_only_the_masked_key_and_ciphertext()
    {
        (await SendAsync(HttpMethod.Post, "/api/connections", Body("sec2", ["BTCUSDT"], ApiKey1, ApiSecret1))).Response.EnsureSuccessStatusCode();

        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient($"{Host.Prefix}connections");
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }
        var entity = Assert.Single(rows);
        var properties = string.Join("\n", entity.Select(p => Texts(p.Value)));
        Assert.DoesNotContain(ApiKey1, properties, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiSecret1, properties, StringComparison.Ordinal);
        Assert.Contains(Masked(ApiKey1), properties, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binance_connection_without_credentials_is_400_naming_credentials_and_writes_nothing()
    {
        var response = await SendAsync(HttpMethod.Post, "/api/connections",
            new { id = "bin1", name = "Binance", exchange = "binance", symbols = new[] { "BTCUSDT" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.Response.StatusCode);
        Assert.Equal("application/problem+json", response.Response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Json["errors"]!["credentials"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/connections/bin1")).StatusCode);
    }

    [Theory]
    [InlineData("apiSecret", "has space " + "Zq8Wn2Lr5Tx7Kv9Pm4Bs6", "credentials.apiSecret")]
    [InlineData("apiKey", "AKIA KEY " + "Hn3Jw6Qc1Vz4Yr7Xt2Lp", "credentials.apiKey")]
    public async Task Invalid_credential_is_400_naming_the_field_without_echoing_any_secret(string part, string invalid, string field)
    {
        var credentials = part == "apiKey"
            ? new { apiKey = invalid, apiSecret = ApiSecret1 }
            : new { apiKey = ApiKey1, apiSecret = invalid };
        var response = await SendAsync(HttpMethod.Post, "/api/connections",
            new { id = "bad1", name = "Bad", exchange = "binance", symbols = new[] { "BTCUSDT" }, credentials });

        Assert.Equal(HttpStatusCode.BadRequest, response.Response.StatusCode);
        Assert.NotNull(response.Json["errors"]![field]);
        foreach (var secret in new[] { invalid, ApiKey1, ApiSecret1, invalid.Split(' ')[^1] })
        {
            Assert.DoesNotContain(_seen, text => text.Contains(secret, StringComparison.Ordinal));
            Assert.Empty(Host.Logs.Containing(secret));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/connections/bad1")).StatusCode);
    }

    private static object Body(string? id, string[] symbols, string apiKey, string apiSecret) =>
        new { id, name = "Secret holder", exchange = "paper", symbols, testnet = false, autoStart = false, credentials = new { apiKey, apiSecret } };

    private static string Masked(string apiKey) => $"{apiKey[..4]}…{apiKey[^4..]}";

    private static void AssertMasked(JsonNode connection, string apiKey)
    {
        var credentials = connection["credentials"]!;
        Assert.Equal(Masked(apiKey), credentials["apiKey"]!.GetValue<string>());
        Assert.True(credentials["hasSecret"]!.GetValue<bool>());
        Assert.Null(credentials["apiSecret"]);
    }

    /// <summary>Sends a request and remembers everything that came back (status line, every header, the body) for the final check.</summary>
    private async Task<(HttpResponseMessage Response, JsonNode Json)> SendAsync(HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        _seen.Add($"{(int)response.StatusCode} {response.ReasonPhrase}");
        _seen.AddRange(response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
        _seen.Add(Texts(text));
        return (response, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    /// <summary>A value as text, plus, when it is JSON, every name and string in it unescaped (so "\u002B" is seen as "+").</summary>
    private static string Texts(object? value)
    {
        var text = value switch
        {
            null => "",
            byte[] bytes => Convert.ToBase64String(bytes) + "\n" + System.Text.Encoding.UTF8.GetString(bytes),
            _ => value.ToString() ?? "",
        };
        try
        {
            var strings = new List<string>();
            Collect(JsonNode.Parse(text), strings);
            return text + "\n" + string.Join("\n", strings);
        }
        catch (System.Text.Json.JsonException)
        {
            return text;
        }

        static void Collect(JsonNode? node, List<string> strings)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, child) in o)
                    {
                        strings.Add(name);
                        Collect(child, strings);
                    }
                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Collect(child, strings);
                    }
                    break;
                case JsonValue v when v.TryGetValue<string>(out var s):
                    strings.Add(s);
                    break;
            }
        }
    }

    private void AssertNotLogged()
    {
        Assert.NotEmpty(Host.Logs.Entries); // the capture works: the host logs at least its engine actions
        foreach (var secret in Plaintexts.Append(TestKeys.Admin))
        {
            var leaks = Host.Logs.Containing(secret);
            Assert.True(leaks.Count == 0, $"the log holds a plaintext credential:{Environment.NewLine}{string.Join(Environment.NewLine, leaks)}");
        }
    }

    /// <summary>Every row of every table of this host (connections, audit, engine state, reminders), every property.</summary>
    private async Task AssertNotStoredAsync(bool expectRows)
    {
        var service = new TableServiceClient(Azurite.ConnectionString);
        var scanned = 0;
        await foreach (var table in service.QueryAsync())
        {
            if (!table.Name.StartsWith(Host.Prefix, StringComparison.Ordinal))
            {
                continue;
            }
            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                scanned++;
                foreach (var (property, value) in row)
                {
                    var text = Texts(value);
                    foreach (var secret in Plaintexts)
                    {
                        Assert.False(text.Contains(secret, StringComparison.Ordinal),
                            $"{table.Name} row {row.PartitionKey}/{row.RowKey} property {property} holds a plaintext credential");
                    }
                }
            }
        }
        Assert.True(!expectRows || scanned > 0, "no rows were scanned");
    }
}
