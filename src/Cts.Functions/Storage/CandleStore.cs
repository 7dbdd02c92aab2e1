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

    /// <summary>Stores <paramref name="candles"/> (consecutive, validated), merging them hour by hour; returns how many hours were written.</summary>
    public async Task<int> ImportAsync(string symbol, IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var hours = 0;
        foreach (var hour in candles.GroupBy(c => MinutePrices.MinuteOf(c.OpenTime) / 60))
        {
            var key = Key(hour.Key);
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(symbol, key, cancellationToken: cancellationToken);
            var merged = existing.HasValue ? Decode(existing.Value!.GetString("Candles")) : new SortedDictionary<long, Candle>();
            foreach (var candle in hour)
            {
                merged[MinutePrices.MinuteOf(candle.OpenTime)] = candle;
            }
            await table.UpsertEntityAsync(new TableEntity(symbol, key) { ["Candles"] = Encode(merged.Values) }, TableUpdateMode.Replace,
                cancellationToken);
            hours++;
        }
        return hours;
    }

    /// <summary>The stored candles of <paramref name="symbol"/> from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), ascending.</summary>
    public async Task<IReadOnlyList<Candle>> LoadAsync(string symbol, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var (first, last) = (MinutePrices.MinuteOf(from) / 60, (MinutePrices.MinuteOf(to) + 59) / 60);
        var candles = new List<Candle>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {symbol} and RowKey ge {Key(first)} and RowKey le {Key(last)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            candles.AddRange(Decode(row.GetString("Candles")).Values.Where(c => c.OpenTime >= from && c.OpenTime < to));
        }
        return candles.OrderBy(c => c.OpenTime).ToList();
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
