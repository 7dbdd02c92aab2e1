using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Cts.Domain.Audit;
using Cts.Functions.Retention;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Retention;

[Collection(AzuriteCollection.Name)]
public sealed class RetentionArchiverTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static TableEntity Position(string connection, string id, string status, DateTimeOffset openedAt, DateTimeOffset? closedAt) =>
        new(connection, TradingEntities.PositionPrefix + id)
        {
            ["Symbol"] = "BTCUSDT", ["Quantity"] = "0.5", ["EntryPrice"] = "100", ["EntryFee"] = "0.1", ["OpenedAt"] = openedAt,
            ["ClientOrderId"] = "o-" + id, ["HighestPrice"] = "110", ["Status"] = status, ["ClosedAt"] = closedAt,
            ["RealizedPnl"] = closedAt is null ? null : "5", ["ExitPrice"] = closedAt is null ? null : "110",
            ["ExitFee"] = closedAt is null ? null : "0.1", ["ExitReason"] = closedAt is null ? null : "StopLoss",
            ["ExitClientOrderId"] = closedAt is null ? null : "x-" + id,
        };

    [Fact]
    public async Task Old_audit_and_closed_positions_are_archived_then_deleted_recent_and_open_ones_stay()
    {
        var prefix = azurite.NewPrefix();
        var tables = azurite.NewTables(prefix);
        var clock = new FakeTimeProvider(Now);
        var settings = new SettingsStore(tables, clock);
        Assert.Equal(WriteOutcome.Written,
            (await settings.SaveAsync(new Cts.Domain.Config.EngineSettings { RetentionDays = 30 }, null)).Outcome);
        var audit = new AuditLog(tables);
        await audit.AppendAsync(new AuditEntry(Now.AddDays(-40), "alice", "start", "c1", "Enabled", "Running", null, "accepted", "corr-old"));
        await audit.AppendAsync(new AuditEntry(Now.AddDays(-31), "bob", "stop", "c2", "Running", "Stopped", "old", "accepted", null));
        await audit.AppendAsync(new AuditEntry(Now.AddDays(-29), "carol", "pause", "c1", "Running", "Paused", null, "accepted", null));
        await audit.AppendAsync(new AuditEntry(Now.AddHours(-1), "dave", "resume", "c1", "Paused", "Running", null, "accepted", null));
        var trading = await tables.GetAsync(TradingEntities.TableName);
        await trading.AddEntityAsync(Position("c1", "old-closed", "Closed", Now.AddDays(-50), Now.AddDays(-45)));
        await trading.AddEntityAsync(Position("c1", "recent-closed", "Closed", Now.AddDays(-50), Now.AddDays(-2)));
        await trading.AddEntityAsync(Position("c1", "old-open", "Open", Now.AddDays(-90), null));
        await trading.AddEntityAsync(Position("c2", "old-closed-2", "Closed", Now.AddDays(-60), Now.AddDays(-59)));
        await trading.AddEntityAsync(TradingEntities.Summary("c1", 10m));

        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var archive = new ArchiveStore(blobs.GetBlobContainerClient(prefix + "archive"));
        var archiver = new RetentionArchiver(tables, archive, settings, clock, NullLogger<RetentionArchiver>.Instance);

        var report = await archiver.RunOnceAsync();

        Assert.Equal(Now.AddDays(-30), report.Cutoff);
        Assert.Equal(2, report.AuditArchived);
        Assert.Equal(2, report.PositionsArchived);
        Assert.Equal("audit/2026-06-01-120000.jsonl.gz", report.AuditBlob);
        Assert.Equal("positions/2026-06-01-120000.jsonl.gz", report.PositionsBlob);

        var remaining = await audit.QueryAsync(null, null, null, 100);
        Assert.Equal(["dave", "carol"], remaining.Select(e => e.Actor));
        var positions = await new PositionStore(tables).QueryAsync(null, null, 100);
        Assert.Equal(["old-open", "recent-closed"], positions.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.True((await trading.GetEntityIfExistsAsync<TableEntity>("c1", TradingEntities.SummaryKey)).HasValue);

        var listed = await archive.ListAsync();
        Assert.Equal(["audit/2026-06-01-120000.jsonl.gz", "positions/2026-06-01-120000.jsonl.gz"], listed.Select(a => $"{a.Kind}/{a.Name}"));
        var auditLines = (await archive.ReadAsync("audit", "2026-06-01-120000.jsonl.gz"))!.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["alice", "bob"], auditLines.Select(l => l["Actor"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("corr-old", auditLines.Single(l => l["Actor"]!.GetValue<string>() == "alice")["CorrelationId"]!.GetValue<string>());
        Assert.All(auditLines, l => Assert.NotNull(l["PartitionKey"]));
        var positionLines = (await archive.ReadAsync("positions", "2026-06-01-120000.jsonl.gz"))!.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["position-old-closed", "position-old-closed-2"],
            positionLines.Select(l => l["RowKey"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        // A later pass with nothing old writes no blob; once time moves on, the rest goes too — but never the open position.
        Assert.Null((await archiver.RunOnceAsync()).AuditBlob);
        clock.Advance(TimeSpan.FromDays(60));
        var later = await archiver.RunOnceAsync();
        Assert.Equal(2, later.AuditArchived);
        Assert.Equal(1, later.PositionsArchived);
        Assert.Equal(["old-open"], (await new PositionStore(tables).QueryAsync(null, null, 100)).Select(p => p.Id));
        Assert.Equal(4, (await archive.ListAsync()).Count);
    }
}
