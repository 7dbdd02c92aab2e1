using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Contract;

/// <summary>
/// A real host process, asked for every operation's success and its typical refusals (400, 401, 403, 404, 409, 412,
/// 413, 304), answers only what its served document declares, with bodies its schemas accept. The responses are also
/// exported for <c>.ci/contract-check.py</c>, which checks them with third-party validators.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RealHostContractTests(AzuriteFixture azurite)
{
    private const string Id = "contract-1";

    [Fact]
    public async Task A_real_host_answers_success_and_refusals_only_as_its_document_declares()
    {
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix());
        await host.StartAsync();
        var document = await ContractDocument.FetchAsync(host.Client);
        var recorder = new ContractRecorder();
        using var admin = Client(host, document, recorder, TestKeys.Admin);
        using var viewer = Client(host, document, recorder, TestKeys.Viewer);
        using var anonymous = Client(host, document, recorder, key: null);

        var statuses = new List<(string Request, HttpStatusCode Status)>();
        async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, HttpContent? body = null,
            Action<HttpRequestHeaders>? headers = null)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body };
            headers?.Invoke(request.Headers);
            var response = await client.SendAsync(request);
            statuses.Add(($"{method} {url}", response.StatusCode));
            return response;
        }
        var json = (object value) => JsonContent.Create(value);

        var created = await Send(admin, HttpMethod.Post, "/api/connections",
            json(new { id = Id, name = "Contract", exchange = "paper", symbols = new[] { "BTCUSDT" } }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var etag = created.Headers.ETag!.Tag;
        await Send(admin, HttpMethod.Post, "/api/connections", json(new { id = Id, name = "Again", exchange = "paper", symbols = new[] { "BTCUSDT" } }));
        await Send(admin, HttpMethod.Post, "/api/connections", json(new { id = "Bad Id", name = "", exchange = "nowhere", symbols = new[] { "btc" } }));
        await Send(admin, HttpMethod.Post, "/api/connections", new StringContent(new string('x', 70 * 1024), System.Text.Encoding.UTF8, "application/json"));
        await Send(admin, HttpMethod.Put, $"/api/connections/{Id}",
            json(new { id = Id, name = "Stale", exchange = "paper", symbols = new[] { "BTCUSDT" }, testnet = false, autoStart = false }), h => h.IfMatch.Add(new EntityTagHeaderValue("\"stale\"")));
        await Send(admin, HttpMethod.Put, $"/api/connections/{Id}",
            json(new { id = Id, name = "Renamed", exchange = "paper", symbols = new[] { "BTCUSDT", "ETHUSDT" }, testnet = false, autoStart = false }), h => h.IfMatch.Add(new EntityTagHeaderValue(etag)));
        await Send(admin, HttpMethod.Get, "/api/connections");
        await Send(admin, HttpMethod.Get, $"/api/connections/{Id}");
        await Send(admin, HttpMethod.Get, "/api/connections/nobody");
        await Send(anonymous, HttpMethod.Get, "/api/connections");
        await Send(viewer, HttpMethod.Post, "/api/connections", json(new { id = "viewer-made", name = "V", exchange = "paper", symbols = new[] { "BTCUSDT" } }));

        // Before any engine runs: a running engine's health changes the listing's ETag every second.
        var list = await Send(admin, HttpMethod.Get, "/api/engines");
        await Send(admin, HttpMethod.Get, "/api/engines", headers: h => h.IfNoneMatch.Add(list.Headers.ETag!));
        await Send(admin, HttpMethod.Get, "/api/engines?top=10");
        await Send(admin, HttpMethod.Post, $"/api/connections/{Id}/enable");
        await Send(admin, HttpMethod.Post, $"/api/engines/{Id}/start", json(new { reason = "contract" }));
        await Send(admin, HttpMethod.Post, $"/api/engines/{Id}/resume");
        await Send(admin, HttpMethod.Post, $"/api/engines/{Id}/pause", json(new { closePositions = true }));
        await Send(admin, HttpMethod.Get, $"/api/engines/{Id}");
        await Send(admin, HttpMethod.Get, "/api/engines/nobody");
        await Send(admin, HttpMethod.Get, "/api/engines/Not_An_Id");
        await Send(admin, HttpMethod.Get, "/api/engines?top=0&state=Sleeping");
        await Send(admin, HttpMethod.Get, $"/api/engines/{Id}/positions");
        await Send(admin, HttpMethod.Get, $"/api/engines/{Id}/audit?top=5");
        await Send(admin, HttpMethod.Get, $"/api/positions?connectionId={Id}&status=open");
        await Send(admin, HttpMethod.Post, $"/api/positions/{Id}/not-a-position/close");
        await Send(admin, HttpMethod.Delete, $"/api/connections/{Id}");
        await Send(admin, HttpMethod.Post, "/api/trade-engine/stop", json(new { connectionId = Id, closePositions = true }));
        await Send(admin, HttpMethod.Post, "/api/trade-engine/start", json(new { connectionId = Id }));
        await Send(admin, HttpMethod.Get, "/api/trade-engine/status-all");
        await Send(admin, HttpMethod.Get, $"/api/trade-engine/status?connectionId={Id}");
        await Send(admin, HttpMethod.Get, "/api/trade-engine/status");
        await Send(admin, HttpMethod.Post, $"/api/engines/{Id}/stop", json(new { closePositions = true, reason = "done" }));
        await Send(admin, HttpMethod.Post, $"/api/engines/{Id}/restart");

        await Send(admin, HttpMethod.Get, "/api/presets");
        await Send(admin, HttpMethod.Get, "/api/presets/default");
        await Send(admin, HttpMethod.Post, "/api/presets", json(new { id = "contract-preset", name = "Contract", strategy = "rsi-reversion" }));
        await Send(admin, HttpMethod.Post, "/api/presets", json(new { id = "bad-preset", name = "Bad", emaFast = 50, emaSlow = 10 }));
        await Send(admin, HttpMethod.Get, "/api/presets/contract-preset");
        await Send(admin, HttpMethod.Delete, "/api/presets/contract-preset");
        await Send(admin, HttpMethod.Get, "/api/settings");
        await Send(admin, HttpMethod.Put, "/api/settings", json(new { autoStartOnBoot = true, connectionMonitorSeconds = 1, retentionDays = 7,
            exchangeTimeoutSeconds = 5, startRetry = new { maxAttempts = 5, baseDelaySeconds = 2, maxDelaySeconds = 60 },
            maxConsecutiveCycleFailures = 10, autoRestartOnConfigChange = false }));
        await Send(admin, HttpMethod.Get, "/api/audit?top=20");
        await Send(admin, HttpMethod.Get, "/api/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
        await Send(admin, HttpMethod.Get, "/api/config/export");
        await Send(admin, HttpMethod.Post, "/api/config/import?dryRun=true", json(new { format = 1, takenAt = DateTimeOffset.UtcNow, reason = "contract", connections = Array.Empty<object>(), presets = Array.Empty<object>() }));
        await Send(admin, HttpMethod.Get, "/api/config/backups");
        await Send(admin, HttpMethod.Post, "/api/config/backups/19990101T000000000Z-none.json/restore?dryRun=true");
        await Send(admin, HttpMethod.Get, "/api/archive");
        await Send(admin, HttpMethod.Get, "/api/archive/audit/2000-01-01-000000.jsonl.gz");
        await Send(admin, HttpMethod.Get, "/api/archive/nothing/x");

        // The sweep reached the codes it is meant to: a sweep that only saw 200s would prove little.
        var seen = statuses.Select(s => (int)s.Status).ToHashSet();
        foreach (var code in new[] { 200, 201, 204, 304, 400, 401, 403, 404, 409, 412, 413 })
        {
            Assert.True(seen.Contains(code), $"no response was {code}: {string.Join(", ", statuses.Select(s => $"{s.Request} {(int)s.Status}"))}");
        }
        Assert.True(recorder.Exchanges.Count >= statuses.Count, $"{recorder.Exchanges.Count} of {statuses.Count} responses recorded");
        var violations = recorder.Verify(document);
        recorder.Export();
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations) + Environment.NewLine + host.OutputTail(30));
    }

    private static HttpClient Client(HostProcess host, ContractDocument document, ContractRecorder recorder, string? key)
    {
        var client = new HttpClient(new RecordingHandler(document, recorder)) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return client;
    }
}
