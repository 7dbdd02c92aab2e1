using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Cts.Domain.Market;

namespace Cts.Functions.Storage;

/// <summary>
/// Imported one-minute candles in <c>{prefix}candles</c>: partition = symbol, one row per UTC hour (RowKey = the hour's
/// minute index from the market epoch, zero-padded) holding that hour's candles, so a year loads in ~8,800 rows. An
/// import merges into what is stored: a minute imported again replaces the earlier candle.
/// </summary>
public sealed class CandleStore(CtsTables tables)
{
    public const string TableName = "candles";

    /// <summary>Rows per entity-group transaction: the service's maximum (one partition, at most 100 operations, 4 MiB).</summary>
    private const int BatchRows = 100;

    /// <summary>Transactions in flight at once during an import.</summary>
    private const int ParallelBatches = 4;

    /// <summary>
    /// Stores <paramref name="candles"/> (validated, ascending), merging them hour by hour into what is stored; returns how
    /// many hours were written. The hours already stored in the span are read in one range query, then the merged hours
    /// are written in transactions of 100 rows, a few at a time: a year is ~90 transactions. Each transaction is atomic;
    /// should storage fail part-way, sending the same upload again completes it (a merge of the same candles).
    /// </summary>
    public async Task<int> ImportAsync(string symbol, IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candles);
        if (candles.Count == 0)
        {
            return 0;
        }
        var table = await tables.GetAsync(TableName, cancellationToken);
        var hours = candles.GroupBy(c => MinutePrices.MinuteOf(c.OpenTime) / 60).ToList();
        var (first, last) = (hours.Min(h => h.Key), hours.Max(h => h.Key));
        var stored = new Dictionary<string, string?>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {symbol} and RowKey ge {Key(first)} and RowKey le {Key(last)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "Candles"], cancellationToken: cancellationToken))
        {
            stored[row.RowKey] = row.GetString("Candles");
        }
        var rows = hours.Select(hour =>
        {
            var key = Key(hour.Key);
            var merged = stored.TryGetValue(key, out var json) ? Decode(json) : new SortedDictionary<long, Candle>();
            foreach (var candle in hour)
            {
                merged[MinutePrices.MinuteOf(candle.OpenTime)] = candle;
            }
            return new TableEntity(symbol, key) { ["Candles"] = Encode(merged.Values) };
        });
        await Parallel.ForEachAsync(rows.Chunk(BatchRows),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelBatches, CancellationToken = cancellationToken },
            async (batch, cancel) => await table.SubmitTransactionAsync(
                batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancel));
        return hours.Count;
    }

    /// <summary>The stored candles of <paramref name="symbol"/> from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), ascending.</summary>
    public async Task<IReadOnlyList<Candle>> LoadAsync(string symbol, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var candles = new List<Candle>();
        await foreach (var candle in ReadAsync(symbol, from, to, cancellationToken))
        {
            candles.Add(candle);
        }
        return candles;
    }

    /// <summary>
    /// As <see cref="LoadAsync"/>, one stored hour at a time, so a caller that only folds them (a chart's bars) never
    /// holds a year of candles. Rows come in RowKey order, which is time order.
    /// </summary>
    public async IAsyncEnumerable<Candle> ReadAsync(string symbol, DateTimeOffset from, DateTimeOffset to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var (first, last) = (MinutePrices.MinuteOf(from) / 60, (MinutePrices.MinuteOf(to) + 59) / 60);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {symbol} and RowKey ge {Key(first)} and RowKey le {Key(last)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            foreach (var candle in Decode(row.GetString("Candles")).Values)
            {
                if (candle.OpenTime >= from && candle.OpenTime < to)
                {
                    yield return candle;
                }
            }
        }
    }

    private static string Key(long hour) => (hour * 60).ToString("D12", CultureInfo.InvariantCulture);

    private static string Encode(IEnumerable<Candle> candles) => JsonSerializer.Serialize(candles.Select(c => new[]
    {
        MinutePrices.MinuteOf(c.OpenTime).ToString(CultureInfo.InvariantCulture), S(c.Open), S(c.High), S(c.Low), S(c.Close), S(c.Volume),
    }));

    private static SortedDictionary<long, Candle> Decode(string? json)
    {
        var result = new SortedDictionary<long, Candle>();
        foreach (var f in JsonSerializer.Deserialize<string[][]>(json ?? "[]") ?? [])
        {
            var minute = long.Parse(f[0], CultureInfo.InvariantCulture);
            result[minute] = new Candle(MinutePrices.StartOf(minute), D(f[1]), D(f[2]), D(f[3]), D(f[4]), D(f[5]));
        }
        return result;
    }

    private static string S(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal D(string text) => decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
}
