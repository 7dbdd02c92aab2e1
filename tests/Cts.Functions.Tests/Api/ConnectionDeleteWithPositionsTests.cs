using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cts.Domain.Trading;
using Cts.Functions.Engines;
using Cts.Functions.Retention;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Api;

/// <summary>
/// Positions are never orphaned by deleting their connection: DELETE is 409 naming the open positions, and
/// <c>?closePositions=true</c> closes them through the engine's exactly-once exit path (intent journalled, exit id
/// derived from the entry's, exit reason <c>connection-deleted</c>, paper balance credited) before deleting. The closed
/// positions stay in the history afterwards.
/// </summary>
public sealed class ConnectionDeleteWithPositionsTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task Deleting_a_stopped_engines_connection_with_open_positions_is_409_then_closePositions_closes_them_and_deletes()
    {
        var open = await OpenPositionsThenStopAsync("del1");

        var refused = await Client.DeleteAsync("/api/connections/del1");

        await AssertNamesOpenPositionsAsync(refused, open);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/api/connections/del1")).StatusCode);
        Assert.Equal("Stopped", (await Client.StatusAsync("del1")).State());
        Assert.Equal(open.Keys.Order(), (await PositionsAsync("connectionId=del1&status=open")).Select(Id).Order());

        await AssertClosedThenDeletedAsync("del1", open);
    }

    [Fact]
    public async Task An_Idle_engine_that_is_not_active_in_memory_is_checked_against_its_trade_journal_and_closes_through_it()
    {
        var open = await OpenPositionsThenStopAsync("del2");
        (await Client.PostAsync("/api/connections/del2/disable", null)).EnsureSuccessStatusCode();
        Assert.Equal("Idle", (await Client.StatusAsync("del2")).State());
        // Collect every idle activation: the engine that is asked next starts from its stored state and journal alone.
        var grains = Host.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Eventually.UntilAsync(async () => !(await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
                .Any(s => s.GrainType.Contains(nameof(EngineGrain), StringComparison.Ordinal) && s.ActivationCount > 0),
            TimeSpan.FromSeconds(10), "no engine is active in memory");

        var refused = await Client.DeleteAsync("/api/connections/del2");

        await AssertNamesOpenPositionsAsync(refused, open);
        await AssertClosedThenDeletedAsync("del2", open);
    }

    [Fact]
    public async Task A_running_engine_is_a_lifecycle_conflict_even_with_closePositions_and_keeps_its_positions()
    {
        await Client.StartEagerEnginesAsync("del3");
        await Eventually.UntilAsync(() => Client.StatusAsync("del3"), s => s["openPositions"]!.GetValue<int>() >= 1,
            TimeSpan.FromSeconds(20), "the eager engine opens a position", () => Host.Logs.Tail());

        var refused = await Client.DeleteAsync("/api/connections/del3?closePositions=true");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = (await refused.JsonAsync())!;
        Assert.Equal("https://cts.dev/problems/lifecycle-conflict", problem["type"]!.GetValue<string>());
        Assert.Equal("Running", problem["currentState"]!.GetValue<string>());
        Assert.NotEmpty(await PositionsAsync("connectionId=del3&status=open"));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/api/connections/del3")).StatusCode);
    }

    [Fact]
    public async Task A_connection_without_positions_is_deleted_at_once_and_a_bad_closePositions_is_400()
    {
        await Client.CreatePaperConnectionAsync("del4");

        Assert.Equal(HttpStatusCode.BadRequest, (await Client.DeleteAsync("/api/connections/del4?closePositions=perhaps")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/connections/del4")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/connections/del4")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync("/api/connections/del4?closePositions=true")).StatusCode);
    }

    /// <summary>Starts an eager engine, waits for a position, stops it (positions kept) and returns the open ones by id.</summary>
    private async Task<Dictionary<string, JsonNode>> OpenPositionsThenStopAsync(string id)
    {
        await Client.StartEagerEnginesAsync(id);
        await Eventually.UntilAsync(() => Client.StatusAsync(id), s => s["openPositions"]!.GetValue<int>() >= 1,
            TimeSpan.FromSeconds(20), "the eager engine opens a position", () => Host.Logs.Tail());
        var stop = await Client.PostAsync($"/api/engines/{id}/stop", null);
        Assert.Equal("Stopped", (await stop.JsonAsync())!["status"]!.State());
        var open = await PositionsAsync($"connectionId={id}&status=open");
        Assert.NotEmpty(open);
        return open.ToDictionary(Id);
    }

    private static async Task AssertNamesOpenPositionsAsync(HttpResponseMessage refused, IReadOnlyDictionary<string, JsonNode> open)
    {
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = (await refused.JsonAsync())!;
        Assert.Equal("https://cts.dev/problems/open-positions", problem["type"]!.GetValue<string>());
        var named = problem["openPositions"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(open.Keys.Order(), named.Select(Id).Order());
        Assert.All(named, p => Assert.Equal(open[Id(p)]["symbol"]!.GetValue<string>(), p["symbol"]!.GetValue<string>()));
        var detail = problem["detail"]!.GetValue<string>();
        Assert.All(open, p => Assert.Contains($"{p.Key} {p.Value["symbol"]!.GetValue<string>()}", detail, StringComparison.Ordinal));
        Assert.Contains("closePositions=true", detail, StringComparison.Ordinal);
    }

    /// <summary>DELETE ?closePositions=true: 204, each position closed by the exit path and credited, then gone only from the open list.</summary>
    private async Task AssertClosedThenDeletedAsync(string id, IReadOnlyDictionary<string, JsonNode> open)
    {
        var ledger = new TablePaperLedger(Host.Tables, id);
        var before = await ledger.BalanceAsync("USDT", CancellationToken.None);

        var deleted = await Client.DeleteAsync($"/api/connections/{id}?closePositions=true");

        Assert.True(deleted.StatusCode == HttpStatusCode.NoContent, await deleted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/connections/{id}")).StatusCode);
        Assert.Empty(await PositionsAsync($"connectionId={id}&status=open"));
        var closed = (await PositionsAsync($"connectionId={id}&status=closed")).ToDictionary(Id);
        Assert.Equal(open.Keys.Order(), closed.Keys.Order());
        var trading = await Host.Tables.GetAsync(TradingEntities.TableName);
        foreach (var (positionId, position) in closed)
        {
            Assert.Equal("closed", position["status"]!.GetValue<string>());
            Assert.Equal("connection-deleted", position["exitReason"]!.GetValue<string>());
            var exitId = ClientOrderId.ForExit(position["clientOrderId"]!.GetValue<string>());
            Assert.Equal(exitId, position["exitClientOrderId"]!.GetValue<string>());
            // The exit went through the intent journal: its intent row is there, settled as filled.
            var intent = (await trading.GetEntityAsync<TableEntity>(id, TradingEntities.IntentPrefix + exitId)).Value;
            Assert.Equal(nameof(OrderPurpose.Close), intent.GetString("Purpose"));
            Assert.Equal(nameof(ExitReason.ConnectionDeleted), intent.GetString("ExitReason"));
            Assert.Equal(nameof(IntentStatus.Filled), intent.GetString("Status"));
            Assert.Equal(positionId, intent.GetString("PositionId"));
        }
        // Each exit credited its proceeds, net of its fee, to the paper balance.
        var proceeds = closed.Values.Sum(p =>
            p["exitPrice"]!.GetValue<decimal>() * p["quantity"]!.GetValue<decimal>() - p["exitFee"]!.GetValue<decimal>());
        Assert.Equal(before + proceeds, await ledger.BalanceAsync("USDT", CancellationToken.None));

        var audit = (await (await Client.GetAsync($"/api/audit?connectionId={id}&top=100")).JsonAsync())!["entries"]!.AsArray()
            .Where(e => e!["action"]!.GetValue<string>() == "delete").ToList();
        var refusal = Assert.Single(audit, e => e!["outcome"]!.GetValue<string>() == "refused")!;
        Assert.Equal("connection deleted", refusal["reason"]!.GetValue<string>());
        Assert.All(open.Keys, p => Assert.Contains(p, refusal["outcomeDetail"]!.GetValue<string>(), StringComparison.Ordinal));
        var removal = Assert.Single(audit, e => e!["outcome"]!.GetValue<string>() == "changed")!;
        Assert.All(open.Keys, p => Assert.Contains(p, removal["outcomeDetail"]!.GetValue<string>(), StringComparison.Ordinal));

        // The history keeps them, with and without the connection filter, through a retention pass (archiver and orphan
        // sweep) on the host's clock, and through an archiver pass a minute short of retentionDays after the first close.
        var report = await Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRetentionGrain>(0).RunOnce();
        Assert.Equal(0, report.PositionsArchived);
        var firstClose = closed.Values.Min(p => p["closedAt"]!.GetValue<DateTimeOffset>());
        var clock = new FakeTimeProvider(firstClose + TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        var archiver = new RetentionArchiver(Host.Tables,
            new ArchiveStore(new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(Host.Prefix + "archive")),
            new SettingsStore(Host.Tables, clock), clock, NullLogger<RetentionArchiver>.Instance);
        Assert.Equal(0, (await archiver.RunOnceAsync()).PositionsArchived);
        Assert.Equal(open.Keys.Order(), (await PositionsAsync($"connectionId={id}&status=closed")).Select(Id).Order());
        var all = (await PositionsAsync("status=closed&top=1000")).Select(Id).ToHashSet();
        Assert.Superset(open.Keys.ToHashSet(), all);
    }

    private async Task<List<JsonNode>> PositionsAsync(string query)
    {
        var response = await Client.GetAsync($"/api/positions?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync())!["positions"]!.AsArray().Select(p => p!).ToList();
    }

    private static string Id(JsonNode position) => position["id"]!.GetValue<string>();
}
