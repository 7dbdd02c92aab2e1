using Cts.Domain.Config;

namespace Cts.Domain.Market;

/// <summary>
/// Holds the rows of one upload to the rules of <see cref="CandleImport"/>, one row at a time, as they are read: the
/// candles once every row passed, else every error (at most <see cref="CandleImport.MaxErrors"/> fields). Nothing is
/// half-accepted: after the first error it keeps no candles, only counts rows and collects errors.
/// </summary>
/// <remarks>Pure and not thread-safe: one upload owns one instance.</remarks>
public sealed class CandleImportValidator
{
    private readonly FieldErrors _errors = new();
    private List<Candle>? _candles = [];
    private DateTimeOffset? _previous;

    /// <summary>Rows seen so far (valid or not); the next row's index.</summary>
    public int Rows { get; private set; }

    /// <summary>Whether the list of errors is full: further rows are counted, not judged, and the caller may stop reading.</summary>
    public bool IsFull => _errors.Count >= CandleImport.MaxErrors;

    /// <summary>An error of the upload's shape (a header, an unknown field of row <see cref="Rows"/>), kept unless the list is full.</summary>
    public void AddError(string field, string message)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(message);
        if (!IsFull)
        {
            _errors.Add(field, message);
        }
        _candles = null;
    }

    /// <summary>A row that cannot be read as a candle at all (wrong field count, not an object): reported as <c>rows[i]</c>.</summary>
    public void Reject(string message)
    {
        AddError(RowKey(Rows), message);
        // It stands for its minute, so the next row is not also reported as a gap.
        _previous = _previous?.AddMinutes(1);
        Rows++;
    }

    /// <summary>Judges the next row against every rule and the row before it.</summary>
    public void Add(RawCandle row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var i = Rows++;
        if (IsFull)
        {
            return;
        }
        var before = _errors.Count;
        var time = Check(i, "openTime", CandleImport.ParseTime(row.OpenTime));
        var open = Price(i, "open", row.Open);
        var high = Price(i, "high", row.High);
        var low = Price(i, "low", row.Low);
        var close = Price(i, "close", row.Close);
        var volume = Check(i, "volume", CandleImport.ParseNumber(row.Volume));
        if (volume is < 0)
        {
            Error(i, "volume", "must not be negative");
        }
        if (open is { } o && high is { } h && low is { } l && close is { } c)
        {
            if (h < Math.Max(o, c))
            {
                Error(i, "high", "must be at least max(open, close)");
            }
            if (l > Math.Min(o, c))
            {
                Error(i, "low", "must be at most min(open, close)");
            }
        }
        if (time is { } t)
        {
            if (_previous is { } p)
            {
                if (t == p)
                {
                    Error(i, "openTime", $"duplicates the candle of rows[{i - 1}] ({p:O})");
                }
                else if (t < p)
                {
                    Error(i, "openTime", $"is before the row above ({p:O}); rows must be in ascending time");
                }
                else if (t != p.AddMinutes(1))
                {
                    Error(i, "openTime", $"is {(t - p).TotalMinutes:0.##} minutes after the row above; candles must be consecutive one-minute candles");
                }
            }
            _previous = t;
        }
        else
        {
            _previous = _previous?.AddMinutes(1);
        }
        if (_errors.Count == before && _candles is not null)
        {
            _candles.Add(new Candle(time!.Value, open!.Value, high!.Value, low!.Value, close!.Value, volume!.Value));
        }
        else
        {
            _candles = null;
        }
    }

    /// <summary>The candles when every row passed; otherwise no candles and the errors (a note says when the list is cut short).</summary>
    public (IReadOnlyList<Candle> Candles, IReadOnlyDictionary<string, string[]> Errors) Finish()
    {
        if (Rows == 0 && _errors.IsEmpty)
        {
            _errors.Add("rows", "at least one candle is required");
        }
        if (_errors.IsEmpty)
        {
            return (_candles!, _errors.ToDictionary());
        }
        if (IsFull)
        {
            _errors.Add("rows", $"only the first {CandleImport.MaxErrors} fields with errors are listed; later rows were not checked");
        }
        return ([], _errors.ToDictionary());
    }

    private static string RowKey(int i) => $"rows[{i}]";

    private void Error(int i, string field, string message) => _errors.Add($"{RowKey(i)}.{field}", message);

    private T? Check<T>(int i, string field, (T? Value, string? Error) parsed) where T : struct
    {
        if (parsed.Error is not null)
        {
            Error(i, field, parsed.Error);
        }
        return parsed.Value;
    }

    private decimal? Price(int i, string field, string? text)
    {
        var value = Check(i, field, CandleImport.ParseNumber(text));
        if (value is <= 0)
        {
            Error(i, field, "must be greater than 0");
            return null;
        }
        return value;
    }
}
