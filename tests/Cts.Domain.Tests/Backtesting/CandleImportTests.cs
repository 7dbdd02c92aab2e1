using Cts.Domain.Market;

namespace Cts.Domain.Tests.Backtesting;

public sealed class CandleImportTests
{
    [Fact]
    public void A_csv_with_iso_and_epoch_times_parses_to_consecutive_candles()
    {
        var (candles, errors) = CandleImport.ReadCsv(
            "openTime,open,high,low,close,volume\r\n2025-01-01T00:00:00Z,100,101,99,100.5,3\r\n1735689660000,100.5,102,100,101,4.25\n\n");
        Assert.Empty(errors);
        Assert.Equal(2, candles.Count);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 1, 0, TimeSpan.Zero), candles[1].OpenTime);
        Assert.Equal(new Candle(candles[0].OpenTime, 100m, 101m, 99m, 100.5m, 3m), candles[0]);
    }

    [Fact]
    public void A_wrong_header_is_refused()
    {
        var (_, errors) = CandleImport.ReadCsv("time,open,high,low,close,volume\n");
        Assert.True(errors.ContainsKey("header"));
    }

    [Fact]
    public void Each_broken_rule_is_named_by_row_and_field_and_nothing_is_accepted()
    {
        var (candles, errors) = CandleImport.ReadCsv(string.Join('\n',
            "openTime,open,high,low,close,volume",
            "2025-01-01T00:00:00Z,100,101,99,100,1",
            "2025-01-01T00:00:00Z,100,101,99,100,1",   // duplicate
            "2025-01-01T00:03:00Z,100,99,98,100,1",    // gap; high below open/close
            "2025-01-01T00:04:00Z,0,101,99,100,1",     // open not > 0
            "2025-01-01T00:05:00Z,100,101,100.5,100,-1", // low above min(open, close); negative volume
            "2025-01-01T00:05:30Z,100,101,99,100,1",   // not on a whole minute
            "2025-01-01T00:06:00,100,101,99,100,1",    // no UTC designator
            "2025-01-01T00:07:00Z,100,101,99,1"));     // five fields
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
        Assert.Contains("expected 6", errors["rows[7]"][0]);
        var (_, shape) = CandleImport.ReadCsv("openTime,open,high,low,close,volume\n2025-01-01T00:07:00Z,100,101,99,1");
        Assert.True(shape.ContainsKey("rows[0]"));
    }

    [Fact]
    public void Rows_out_of_order_are_refused()
    {
        var (_, errors) = CandleImport.ReadCsv("openTime,open,high,low,close,volume\n2025-01-01T00:05:00Z,1,1,1,1,1\n2025-01-01T00:04:00Z,1,1,1,1,1");
        Assert.Contains("ascending", errors["rows[1].openTime"][0]);
    }

    [Fact]
    public void A_blank_line_between_candles_is_a_row_with_the_wrong_field_count_and_blank_lines_at_the_end_are_ignored()
    {
        var (candles, errors) = CandleImport.ReadCsv("\uFEFFopenTime,open,high,low,close,volume\n2025-01-01T00:00:00Z,1,1,1,1,1\n\n2025-01-01T00:02:00Z,1,1,1,1,1\n\n\n");
        Assert.Empty(candles);
        Assert.Contains("1 fields", errors["rows[1]"][0]);
        Assert.Single(errors); // the blank row stands for its minute: the next one is not also a gap
    }

    [Fact]
    public void The_errors_are_capped_and_say_that_later_rows_were_not_checked()
    {
        var parser = new CandleCsvParser();
        parser.AddLine(CandleImport.Header);
        var fed = 0;
        for (; fed < 10_000 && !parser.IsDone; fed++)
        {
            // Consecutive, but high below open: one field with an error per row.
            parser.AddLine(FormattableString.Invariant($"{new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(fed).ToUnixTimeMilliseconds()},1,0.5,1,1,1"));
        }
        var (candles, errors) = parser.Finish();
        Assert.Empty(candles);
        Assert.True(parser.IsDone);
        Assert.Equal(CandleImport.MaxErrors, errors.Keys.Count(k => k.StartsWith("rows[", StringComparison.Ordinal)));
        Assert.Contains("not checked", errors["rows"][0]);
        Assert.True(fed < 10_000, "the parser said it was done once the list was full");
    }

    [Fact]
    public void A_long_upload_is_read_line_by_line_into_consecutive_candles()
    {
        var parser = new CandleCsvParser();
        parser.AddLine(CandleImport.Header);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var m = 0; m < 43_200; m++)
        {
            parser.AddLine(FormattableString.Invariant($"{start.AddMinutes(m).ToUnixTimeMilliseconds()},100,101,99,100.5,{m}"));
        }
        var (candles, errors) = parser.Finish();
        Assert.Empty(errors);
        Assert.Equal(43_200, candles.Count);
        Assert.Equal(start.AddMinutes(43_199), candles[^1].OpenTime);
        Assert.Equal(43_199m, candles[^1].Volume);
    }
}
