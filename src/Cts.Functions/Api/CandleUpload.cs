using System.Text;
using System.Text.Json;
using Cts.Domain.Market;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>What reading a candle upload gave: the candles of a valid upload, or its errors, or that it was too large.</summary>
public sealed record CandleUploadRead(IReadOnlyList<Candle> Candles, IReadOnlyDictionary<string, string[]> Errors, bool TooLarge);

/// <summary>
/// Reads a candle upload (<c>POST /api/candles/{symbol}</c>) from the request body as it arrives, row by row, up to the
/// route's limit (<see cref="RequestBodyLimit"/>): CSV line by line through <see cref="CandleCsvParser"/>, JSON element
/// by element of its top-level array. No row is kept as text; only the validated candles are held (about 120 bytes
/// each: a year of one symbol is ~63 MB). Once the list of errors is full the rest is read and dropped unparsed, so an
/// upload over the limit is still a 413 and the connection stays usable.
/// </summary>
public static class CandleUpload
{
    private static readonly string[] Fields = ["openTime", "open", "high", "low", "close", "volume"];
    private static readonly JsonSerializerOptions Strict = new() { AllowTrailingCommas = false, ReadCommentHandling = JsonCommentHandling.Disallow };

    public static async Task<CandleUploadRead> ReadAsync(HttpRequest request, bool csv)
    {
        var limit = RequestBodyLimit.Of(request.HttpContext);
        var body = new BoundedStream(request.Body, limit.Bytes);
        var cancel = request.HttpContext.RequestAborted;
        try
        {
            var (candles, errors) = csv ? await ReadCsvAsync(body, cancel) : await ReadJsonAsync(body, cancel);
            await body.DrainAsync(cancel);
            return new CandleUploadRead(candles, errors, false);
        }
        catch (Exception e) when (e is BoundedStream.LimitExceededException
                                  or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                                  || e.InnerException is BoundedStream.LimitExceededException)
        {
            // Kestrel enforces the same limit on chunked bodies while we read.
            return new CandleUploadRead([], new Dictionary<string, string[]>(), true);
        }
    }

    private static async Task<(IReadOnlyList<Candle>, IReadOnlyDictionary<string, string[]>)> ReadCsvAsync(Stream body, CancellationToken cancel)
    {
        var parser = new CandleCsvParser();
        using var reader = new StreamReader(body, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        while (!parser.IsDone && await reader.ReadLineAsync(cancel) is { } line)
        {
            parser.AddLine(line);
        }
        return parser.Finish();
    }

    /// <summary>A JSON array of objects with exactly the six fields; numbers or strings, openTime ISO 8601 or epoch ms.</summary>
    private static async Task<(IReadOnlyList<Candle>, IReadOnlyDictionary<string, string[]>)> ReadJsonAsync(BoundedStream body, CancellationToken cancel)
    {
        var validator = new CandleImportValidator();
        if (await body.PeekFirstNonWhitespaceAsync(cancel) != '[')
        {
            validator.AddError("body", "must be a JSON array of candles");
            return validator.Finish();
        }
        try
        {
            await foreach (var item in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, Strict, cancel))
            {
                Add(validator, item);
                if (validator.IsFull)
                {
                    break;
                }
            }
        }
        catch (JsonException e)
        {
            validator.AddError("body", e.Message.Split(" Path:", 2)[0]);
        }
        return validator.Finish();
    }

    private static void Add(CandleImportValidator validator, JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            validator.Reject("must be an object");
            return;
        }
        var key = $"rows[{validator.Rows}]";
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in item.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                validator.AddError($"{key}.{property.Name}", "unknown field");
            }
            else if (!values.TryAdd(property.Name, Text(property.Value)))
            {
                validator.AddError($"{key}.{property.Name}", "appears twice");
            }
        }
        validator.Add(new RawCandle(values.GetValueOrDefault("openTime"), values.GetValueOrDefault("open"), values.GetValueOrDefault("high"),
            values.GetValueOrDefault("low"), values.GetValueOrDefault("close"), values.GetValueOrDefault("volume")));
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => "",
    };
}
