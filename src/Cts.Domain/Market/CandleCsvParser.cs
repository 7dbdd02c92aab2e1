namespace Cts.Domain.Market;

/// <summary>
/// Reads a CSV upload of candles one line at a time (the caller reads the lines from wherever they come, e.g. a request
/// body): the first line must be exactly <see cref="CandleImport.Header"/> (a byte-order mark and spaces around it are
/// ignored), then one candle per line with six comma-separated fields. Blank lines at the end are ignored; a blank line
/// between candles is a row with the wrong field count.
/// </summary>
/// <remarks>Pure and not thread-safe: one upload owns one instance.</remarks>
public sealed class CandleCsvParser
{
    private const int Fields = 6;
    private readonly CandleImportValidator _validator = new();
    private bool _headerSeen;
    private bool _headerWrong;
    private int _pendingBlankLines;

    /// <summary>Whether more lines would change nothing: the header is wrong, or the list of errors is full.</summary>
    public bool IsDone => _headerWrong || _validator.IsFull;

    /// <summary>Rows read so far (the header not counted).</summary>
    public int Rows => _validator.Rows;

    public void AddLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (IsDone)
        {
            return;
        }
        if (!_headerSeen)
        {
            _headerSeen = true;
            _headerWrong = !string.Equals(line.Trim().TrimStart('\uFEFF').Trim(), CandleImport.Header, StringComparison.Ordinal);
            return;
        }
        if (string.IsNullOrWhiteSpace(line))
        {
            _pendingBlankLines++;
            return;
        }
        for (; _pendingBlankLines > 0; _pendingBlankLines--)
        {
            _validator.Reject(FieldCount(1));
        }
        var fields = line.Split(',');
        if (fields.Length != Fields)
        {
            _validator.Reject(FieldCount(fields.Length));
            return;
        }
        _validator.Add(new RawCandle(fields[0].Trim(), fields[1].Trim(), fields[2].Trim(), fields[3].Trim(), fields[4].Trim(), fields[5].Trim()));
    }

    /// <summary>The candles of the whole upload, or its errors (nothing is half-accepted).</summary>
    public (IReadOnlyList<Candle> Candles, IReadOnlyDictionary<string, string[]> Errors) Finish()
    {
        if (!_headerSeen || _headerWrong)
        {
            return ([], new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["header"] = [$"the first line must be exactly '{CandleImport.Header}'"],
            });
        }
        return _validator.Finish();
    }

    private static string FieldCount(int count) => $"has {count} fields, expected {Fields} ({CandleImport.Header})";
}
