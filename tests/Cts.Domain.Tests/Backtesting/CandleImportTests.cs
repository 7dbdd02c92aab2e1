using Cts.Domain.Market;

namespace Cts.Domain.Tests.Backtesting;

public sealed class CandleImportTests
{
    [Fact]
    public void A_csv_with_iso_and_epoch_times_parses_to_consecutive_candles()
    {
        var (rows, shape) = CandleImport.ParseCsv(
            "openTime,open,high,low,close,volume\n2025-01-01T00:00:00Z,100,101,99,100.5,3\n1735689660000,100.5,102,100,101,4.25\n");
        Assert.Empty(shape);
        var (candles, errors) = CandleImport.Validate(rows);
        Assert.Empty(errors);
        Assert.Equal(2, candles.Count);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 1, 0, TimeSpan.Zero), candles[1].OpenTime);
        Assert.Equal(new Candle(candles[0].OpenTime, 100m, 101m, 99m, 100.5m, 3m), candles[0]);
    }

    [Fact]
    public void A_wrong_header_is_refused()
    {
        var (_, errors) = CandleImport.ParseCsv("time,open,high,low,close,volume\n");
        Assert.True(errors.ContainsKey("header"));
    }

    [Fact]
    public void Each_broken_rule_is_named_by_row_and_field_and_nothing_is_accepted()
    {
        var (rows, _) = CandleImport.ParseCsv(string.Join('\n',
            "openTime,open,high,low,close,volume",
            "2025-01-01T00:00:00Z,100,101,99,100,1",
            "2025-01-01T00:00:00Z,100,101,99,100,1",   // duplicate
            "2025-01-01T00:03:00Z,100,99,98,100,1",    // gap; high below open/close
            "2025-01-01T00:04:00Z,0,101,99,100,1",     // open not > 0
            "2025-01-01T00:05:00Z,100,101,100.5,100,-1", // low above min(open, close); negative volume
            "2025-01-01T00:05:30Z,100,101,99,100,1",   // not on a whole minute
            "2025-01-01T00:06:00,100,101,99,100,1",    // no UTC designator
            "2025-01-01T00:07:00Z,100,101,99,1"));     // five fields
        var (candles, errors) = CandleImport.Validate(rows);
        Assert.Empty(candles);
        Assert.Contains("duplicates", errors["rows[1].openTime"][0]);
        Assert.Contains("consecutive", errors["rows[2].openTime"][0]);
        Assert.True(errors.ContainsKey("rows[2].high"));
        Assert.True(errors.ContainsKey("rows[3].open"));
        Assert.True(errors.ContainsKey("rows[4].low"));
        Assert.True(errors.ContainsKey("rows[4].volume"));
        Assert.Contains("whole minute", errors["rows[5].openTime"][0]);
        Assert.Contains("UTC", errors["rows[6].openTime"][0]);
        Assert.False(errors.ContainsKey("rows[0].openTime"));
        var (_, shape) = CandleImport.ParseCsv("openTime,open,high,low,close,volume\n2025-01-01T00:07:00Z,100,101,99,1");
        Assert.True(shape.ContainsKey("rows[0]"));
    }

    [Fact]
    public void Rows_out_of_order_are_refused()
    {
        var (rows, _) = CandleImport.ParseCsv("openTime,open,high,low,close,volume\n2025-01-01T00:05:00Z,1,1,1,1,1\n2025-01-01T00:04:00Z,1,1,1,1,1");
        var (_, errors) = CandleImport.Validate(rows);
        Assert.Contains("ascending", errors["rows[1].openTime"][0]);
    }
}
