using System.Globalization;
using Cts.Domain.Config;

namespace Cts.Domain.Market;

/// <summary>One row of an upload as sent, before parsing: CSV fields or JSON values as text.</summary>
public sealed record RawCandle(string? OpenTime, string? Open, string? High, string? Low, string? Close, string? Volume);

/// <summary>
/// Imported one-minute OHLCV candles: parsing (CSV with the header <c>openTime,open,high,low,close,volume</c>) and the
/// rules every upload is held to, with errors per row and field (<c>rows[3].high</c>, rows counted from 0).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>openTime</c>: ISO 8601 in UTC (<c>2025-01-01T00:00:00Z</c>, offset +00:00 accepted) or epoch milliseconds,
/// on a whole minute.</item>
/// <item>Rows are consecutive one-minute candles: each exactly one minute after the one before (no duplicate, no
/// step back, no gap).</item>
/// <item>Prices are greater than 0, high ≥ max(open, close), low ≤ min(open, close); volume ≥ 0.</item>
/// </list>
/// At most <see cref="MaxErrors"/> errors are reported, so a badly wrong file gets a readable answer.
/// </remarks>
public static class CandleImport
{
    public const string Header = "openTime,open,high,low,close,volume";
    public const int MaxErrors = 50;

    /// <summary>The rows of a CSV text, or the error of its shape (header, field count).</summary>
    public static (IReadOnlyList<RawCandle> Rows, IReadOnlyDictionary<string, string[]> Errors) ParseCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new FieldErrors();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var count = lines.Length;
        while (count > 0 && lines[count - 1].Trim().Length == 0)
        {
            count--;
        }
        if (count == 0 || !string.Equals(lines[0].Trim().TrimStart('\uFEFF'), Header, StringComparison.Ordinal))
        {
            errors.Add("header", $"the first line must be exactly '{Header}'");
            return ([], errors.ToDictionary());
        }
        var rows = new List<RawCandle>(count - 1);
        for (var i = 1; i < count; i++)
        {
            var fields = lines[i].Split(',');
            if (fields.Length != 6)
            {
                errors.Add($"rows[{i - 1}]", $"has {fields.Length} fields, expected 6 ({Header})");
                if (Full(errors)) break;
                rows.Add(new RawCandle(null, null, null, null, null, null));
                continue;
            }
            rows.Add(new RawCandle(fields[0].Trim(), fields[1].Trim(), fields[2].Trim(), fields[3].Trim(), fields[4].Trim(), fields[5].Trim()));
        }
        return (rows, errors.ToDictionary());
    }

    /// <summary>The candles of <paramref name="rows"/>, or every rule they break (nothing is half-accepted).</summary>
    public static (IReadOnlyList<Candle> Candles, IReadOnlyDictionary<string, string[]> Errors) Validate(IReadOnlyList<RawCandle> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var errors = new FieldErrors();
        if (rows.Count == 0)
        {
            errors.Add("rows", "at least one candle is required");
            return ([], errors.ToDictionary());
        }
        var candles = new List<Candle>(rows.Count);
        DateTimeOffset? previous = null;
        for (var i = 0; i < rows.Count && !Full(errors); i++)
        {
            var row = rows[i];
            if (row.OpenTime is null && row.Open is null)
            {
                continue; // a malformed row already reported by the parser
            }
            var key = $"rows[{i}]";
            var time = ParseTime(row.OpenTime, key, errors);
            var open = ParsePrice(row.Open, key + ".open", errors);
            var high = ParsePrice(row.High, key + ".high", errors);
            var low = ParsePrice(row.Low, key + ".low", errors);
            var close = ParsePrice(row.Close, key + ".close", errors);
            var volume = ParseNumber(row.Volume, key + ".volume", errors);
            if (volume is < 0)
            {
                errors.Add(key + ".volume", "must not be negative");
            }
            if (open is { } o && high is { } h && low is { } l && close is { } c)
            {
                if (h < Math.Max(o, c))
                {
                    errors.Add(key + ".high", "must be at least max(open, close)");
                }
                if (l > Math.Min(o, c))
                {
                    errors.Add(key + ".low", "must be at most min(open, close)");
                }
            }
            if (time is { } t)
            {
                if (previous is { } p)
                {
                    if (t == p)
                    {
                        errors.Add(key + ".openTime", $"duplicates the candle of rows[{i - 1}] ({p:O})");
                    }
                    else if (t < p)
                    {
                        errors.Add(key + ".openTime", $"is before the row above ({p:O}); rows must be in ascending time");
                    }
                    else if (t != p.AddMinutes(1))
                    {
                        errors.Add(key + ".openTime", $"is {(t - p).TotalMinutes:0.##} minutes after the row above; candles must be consecutive one-minute candles");
                    }
                }
                previous = t;
            }
            if (time is { } at && open is { } op && high is { } hi && low is { } lo && close is { } cl && volume is { } v)
            {
                candles.Add(new Candle(at, op, hi, lo, cl, v));
            }
        }
        return errors.IsEmpty ? (candles, errors.ToDictionary()) : ([], errors.ToDictionary());
    }

    /// <summary>ISO 8601 in UTC, or epoch milliseconds; on a whole minute.</summary>
    public static DateTimeOffset? ParseTime(string? text, string key, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var field = key + ".openTime";
        DateTimeOffset value;
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, "is required");
            return null;
        }
        if (text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            value = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value)
                 && (text.EndsWith('Z') || text.EndsWith("+00:00", StringComparison.Ordinal)) && text.Contains('T', StringComparison.Ordinal))
        {
        }
        else
        {
            errors.Add(field, "must be ISO 8601 in UTC (e.g. 2025-01-01T00:00:00Z) or epoch milliseconds");
            return null;
        }
        if (value.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            errors.Add(field, "must be on a whole minute (the start of the candle)");
            return null;
        }
        return value.ToUniversalTime();
    }

    private static decimal? ParsePrice(string? text, string field, FieldErrors errors)
    {
        var value = ParseNumber(text, field, errors);
        if (value is <= 0)
        {
            errors.Add(field, "must be greater than 0");
            return null;
        }
        return value;
    }

    private static decimal? ParseNumber(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, "is required");
            return null;
        }
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(field, "must be a number");
            return null;
        }
        return value;
    }

    private static bool Full(FieldErrors errors) => errors.Count >= MaxErrors;
}
