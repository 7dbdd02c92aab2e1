using System.Globalization;
using Cts.Domain.Config;

namespace Cts.Domain.Market;

/// <summary>One row of an upload as sent, before parsing: CSV fields or JSON values as text.</summary>
public sealed record RawCandle(string? OpenTime, string? Open, string? High, string? Low, string? Close, string? Volume);

/// <summary>
/// Imported one-minute OHLCV candles: the CSV format (header <c>openTime,open,high,low,close,volume</c>) and the rules
/// every upload is held to, with errors per row and field (<c>rows[3].high</c>, rows counted from 0).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>openTime</c>: ISO 8601 in UTC (<c>2025-01-01T00:00:00Z</c>, offset +00:00 accepted) or epoch milliseconds,
/// on a whole minute.</item>
/// <item>Rows are consecutive one-minute candles: each exactly one minute after the one before (no duplicate, no
/// step back, no gap).</item>
/// <item>Prices are greater than 0, high ≥ max(open, close), low ≤ min(open, close); volume ≥ 0.</item>
/// </list>
/// At most <see cref="MaxErrors"/> fields with errors are reported, so a badly wrong file gets a readable answer. An upload
/// is read row by row (<see cref="CandleCsvParser"/>, <see cref="CandleImportValidator"/>), so a year of candles is never
/// held as text.
/// </remarks>
public static class CandleImport
{
    public const string Header = "openTime,open,high,low,close,volume";
    public const int MaxErrors = 50;

    /// <summary>The candles of a whole CSV text, or every rule it breaks (a convenience over <see cref="CandleCsvParser"/>).</summary>
    public static (IReadOnlyList<Candle> Candles, IReadOnlyDictionary<string, string[]> Errors) ReadCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new CandleCsvParser();
        using var reader = new StringReader(text);
        while (!parser.IsDone && reader.ReadLine() is { } line)
        {
            parser.AddLine(line);
        }
        return parser.Finish();
    }

    /// <summary>ISO 8601 in UTC, or epoch milliseconds; on a whole minute. Errors go under <c>{key}.openTime</c>.</summary>
    public static DateTimeOffset? ParseTime(string? text, string key, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var (value, error) = ParseTime(text);
        if (error is not null)
        {
            errors.Add(key + ".openTime", error);
        }
        return value;
    }

    internal static (DateTimeOffset? Value, string? Error) ParseTime(string? text)
    {
        DateTimeOffset value;
        if (string.IsNullOrEmpty(text))
        {
            return (null, "is required");
        }
        if (IsDigits(text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            value = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        else if (!(DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value)
                   && (text.EndsWith('Z') || text.EndsWith("+00:00", StringComparison.Ordinal)) && text.Contains('T', StringComparison.Ordinal)))
        {
            return (null, "must be ISO 8601 in UTC (e.g. 2025-01-01T00:00:00Z) or epoch milliseconds");
        }
        if (value.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            return (null, "must be on a whole minute (the start of the candle)");
        }
        return (value.ToUniversalTime(), null);
    }

    internal static (decimal? Value, string? Error) ParseNumber(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return (null, "is required");
        }
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var value)
            ? (value, null)
            : (null, "must be a number");
    }

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
