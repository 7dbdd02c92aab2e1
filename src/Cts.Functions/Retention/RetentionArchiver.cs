using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Cts.Domain.Trading;
using Cts.Functions.Storage;

namespace Cts.Functions.Retention;

/// <summary>What one retention pass archived, and which orphaned engine records it removed.</summary>
[GenerateSerializer, Immutable]
public sealed record RetentionReport(
    [property: Id(0)] DateTimeOffset Cutoff,
    [property: Id(1)] int AuditArchived,
    [property: Id(2)] int PositionsArchived,
    [property: Id(3)] string? AuditBlob,
    [property: Id(4)] string? PositionsBlob)
{
    /// <summary>Engines whose record was removed: connection deleted, Idle or Stopped past retention (<see cref="OrphanEngineSweeper"/>).</summary>
    [Id(5)] public string[] EnginesRemoved { get; init; } = [];

    /// <summary>Backtests removed because they finished more than retentionDays ago (<see cref="BacktestSweeper"/>).</summary>
    [Id(6)] public string[] BacktestsRemoved { get; init; } = [];
}

/// <summary>
/// The retention policy (SPEC: history has a retention policy with archival): audit entries and CLOSED positions older
/// than <c>retentionDays</c> are written to the archive container as gzip JSON lines and only then deleted from their
/// tables. Open positions, intents and PnL summaries are never touched. At most <see cref="MaxRowsPerPass"/> rows per
/// kind per pass, so a large backlog drains over several passes.
/// </summary>
public sealed partial class RetentionArchiver(
    CtsTables tables, ArchiveStore archive, SettingsStore settings, TimeProvider time, ILogger<RetentionArchiver> logger)
{
    public const int MaxRowsPerPass = 20_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<RetentionReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var days = (await settings.CurrentAsync(cancellationToken)).RetentionDays;
        var cutoff = now - TimeSpan.FromDays(days);

        var audit = await tables.GetAsync(AuditLog.TableName, cancellationToken);
        var oldAudit = await QueryAsync(audit, TableClient.CreateQueryFilter($"At lt {cutoff}"), cancellationToken);
        var auditBlob = await ArchiveAsync(audit, ArchiveStore.Audit, now, oldAudit, cancellationToken);

        var trading = await tables.GetAsync(TradingEntities.TableName, cancellationToken);
        var closedFilter = TradingEntities.PrefixFilter(TradingEntities.PositionPrefix) + " and " +
            TableClient.CreateQueryFilter($"Status eq {nameof(PositionStatus.Closed)} and ClosedAt lt {cutoff}");
        var oldPositions = await QueryAsync(trading, closedFilter, cancellationToken);
        var positionsBlob = await ArchiveAsync(trading, ArchiveStore.Positions, now, oldPositions, cancellationToken);

        if (oldAudit.Count + oldPositions.Count > 0)
        {
            LogArchived(oldAudit.Count, oldPositions.Count, cutoff);
        }
        return new RetentionReport(cutoff, oldAudit.Count, oldPositions.Count, auditBlob, positionsBlob);
    }

    private static async Task<List<TableEntity>> QueryAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count >= MaxRowsPerPass) break;
        }
        return rows;
    }

    /// <summary>Writes the rows to one archive blob, then deletes them (the blob first: a crash in between archives twice, never loses).</summary>
    private async Task<string?> ArchiveAsync(TableClient table, string kind, DateTimeOffset now, List<TableEntity> rows,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return null;
        var path = await archive.WriteAsync(kind, now, rows.Select(ToJsonLine), cancellationToken);
        foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                try
                {
                    await table.SubmitTransactionAsync(
                        chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, r.ETag)), cancellationToken);
                }
                catch (TableTransactionFailedException)
                {
                    // One row changed or vanished meanwhile: delete the others one by one.
                    foreach (var row in chunk)
                    {
                        try
                        {
                            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                        }
                        catch (RequestFailedException e) when (e.Status is 404 or 412)
                        {
                        }
                    }
                }
            }
        }
        return path;
    }

    private static string ToJsonLine(TableEntity row)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in row)
        {
            if (key is "odata.etag") continue;
            values[key] = value;
        }
        values["PartitionKey"] = row.PartitionKey;
        values["RowKey"] = row.RowKey;
        return JsonSerializer.Serialize(values, Json);
    }

    [LoggerMessage(LogLevel.Information, "Retention: archived {Audit} audit entries and {Positions} closed positions older than {Cutoff}")]
    private partial void LogArchived(int audit, int positions, DateTimeOffset cutoff);
}
