using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Cts.Domain.Backtesting;
using Cts.Functions.Api;
using Cts.Functions.Backtests;

namespace Cts.Functions.Storage;

/// <summary>
/// Backtests in storage: one row per backtest in <c>{prefix}backtests</c> (its <see cref="BacktestRecord"/> as JSON),
/// its trades in <c>{prefix}backtesttrades</c> (partition = backtest id, one row per trade in close order), and in the
/// blob container <c>{prefix}backtests</c> its checkpoint (<c>{id}/checkpoint.json</c>) and equity curve
/// (<c>{id}/equity.json</c>).
/// </summary>
public sealed class BacktestStore(CtsTables tables, BlobContainerClient blobs)
{
    public const string TableName = "backtests", TradesTable = "backtesttrades", Container = "backtests";
    private const string Partition = "backtest";

    private static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(options);
        return options;
    }

    public async Task<BacktestRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    public async Task<IReadOnlyList<BacktestRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var list = new List<BacktestRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"),
                           cancellationToken: cancellationToken))
        {
            list.Add(Read(row));
        }
        return list.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Creates the record; false when a backtest with that id exists.</summary>
    public async Task<bool> CreateAsync(BacktestRecord record, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            await table.AddEntityAsync(Entity(record), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task SaveAsync(BacktestRecord record, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(Entity(record), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Stores trades as rows <paramref name="firstSequence"/>… (idempotent: a trade re-produced after a resume overwrites itself).</summary>
    public async Task AppendTradesAsync(string id, int firstSequence, IReadOnlyList<PositionRecord> trades, CancellationToken cancellationToken = default)
    {
        if (trades.Count == 0)
        {
            return;
        }
        var table = await tables.GetAsync(TradesTable, cancellationToken);
        foreach (var chunk in trades.Select((t, i) => (Trade: t, Sequence: firstSequence + i)).Chunk(100))
        {
            var actions = chunk.Select(t => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(id, t.Sequence.ToString("D9", System.Globalization.CultureInfo.InvariantCulture))
                {
                    ["Json"] = JsonSerializer.Serialize(t.Trade, Json),
                })).ToList();
            await table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    /// <summary>The trades of a backtest in close order (the first <paramref name="count"/> when given).</summary>
    public async Task<IReadOnlyList<PositionRecord>> TradesAsync(string id, int? count = null, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TradesTable, cancellationToken);
        var trades = new List<PositionRecord>();
        var filter = count is { } n
            ? TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey lt {n.ToString("D9", System.Globalization.CultureInfo.InvariantCulture)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {id}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            trades.Add(JsonSerializer.Deserialize<PositionRecord>(row.GetString("Json"), Json)!);
        }
        return trades;
    }

    public Task SaveCheckpointAsync(string id, BacktestCheckpoint checkpoint, CancellationToken cancellationToken = default) =>
        UploadAsync($"{id}/checkpoint.json", checkpoint, cancellationToken);

    public Task<BacktestCheckpoint?> LoadCheckpointAsync(string id, CancellationToken cancellationToken = default) =>
        DownloadAsync<BacktestCheckpoint>($"{id}/checkpoint.json", cancellationToken);

    public Task SaveEquityAsync(string id, IReadOnlyList<EquityPoint> equity, CancellationToken cancellationToken = default) =>
        UploadAsync($"{id}/equity.json", equity, cancellationToken);

    public async Task<IReadOnlyList<EquityPoint>> LoadEquityAsync(string id, CancellationToken cancellationToken = default) =>
        await DownloadAsync<List<EquityPoint>>($"{id}/equity.json", cancellationToken) ?? [];

    /// <summary>Removes the record, its trades and its blobs.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var trades = await tables.GetAsync(TradesTable, cancellationToken);
        var keys = new List<string>();
        await foreach (var row in trades.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), select: ["RowKey"],
                           cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }
        foreach (var chunk in keys.Chunk(100))
        {
            await trades.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete,
                new TableEntity(id, k) { ETag = ETag.All })), cancellationToken);
        }
        await blobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await blobs.GetBlobClient($"{id}/checkpoint.json").DeleteIfExistsAsync(cancellationToken: cancellationToken);
        await blobs.GetBlobClient($"{id}/equity.json").DeleteIfExistsAsync(cancellationToken: cancellationToken);
        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.DeleteEntityAsync(Partition, id, ETag.All, cancellationToken);
    }

    public async Task DeleteCheckpointAsync(string id, CancellationToken cancellationToken = default)
    {
        await blobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await blobs.GetBlobClient($"{id}/checkpoint.json").DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    private async Task UploadAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        await blobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await blobs.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(value, Json)), overwrite: true,
            cancellationToken);
    }

    private async Task<T?> DownloadAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        try
        {
            var content = await blobs.GetBlobClient(path).DownloadContentAsync(cancellationToken);
            return JsonSerializer.Deserialize<T>(content.Value.Content.ToArray(), Json);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static TableEntity Entity(BacktestRecord record) => new(Partition, record.Id)
    {
        ["Status"] = record.Status,
        ["FinishedAt"] = record.FinishedAt,
        ["Json"] = JsonSerializer.Serialize(record, Json),
    };

    private static BacktestRecord Read(TableEntity row) => JsonSerializer.Deserialize<BacktestRecord>(row.GetString("Json"), Json)!;
}
