using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cts.Domain.Config;
using Cts.Domain.Market;
using Cts.Functions.Security;
using Cts.Functions.Storage;

namespace Cts.Functions.Api;

/// <summary>
/// <c>POST /api/candles/{symbol}</c>: imports one-minute OHLCV candles for backtests, as CSV (<c>text/csv</c>, header
/// <c>openTime,open,high,low,close,volume</c>) or a JSON array of the same objects. Validated whole (<see cref="CandleImport"/>):
/// one bad row refuses the upload with every row's errors and nothing is written.
/// </summary>
public static partial class CandlesApi
{
    [GeneratedRegex("^[A-Z0-9]{2,20}USDT$")]
    private static partial Regex SymbolPattern();

    public static IEndpointRouteBuilder MapCandlesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/candles/{symbol}", Import).WithTags("Backtests").RequireAdmin()
            .WithName("importCandles").WithSummary("Import one-minute OHLCV candles (CSV or JSON) for backtests; merged into what is stored")
            .Accepts<CandleRow[]>("application/json", "text/csv")
            .Produces<CandleImportResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    public static async Task<IResult> Import(HttpContext http, CandleStore store, string symbol)
    {
        if (!SymbolPattern().IsMatch(symbol))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["symbol"] = ["must be an upper-case symbol quoted in USDT, e.g. BTCUSDT"] });
        }
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("text/csv" or "application/json"))
        {
            return BacktestsApi.UnsupportedMediaType("text/csv or application/json");
        }
        var (text, tooLarge) = await ReadTextAsync(http.Request);
        if (tooLarge is not null)
        {
            return tooLarge;
        }
        IReadOnlyList<RawCandle> rows;
        if (mediaType == "text/csv")
        {
            var (parsed, shape) = CandleImport.ParseCsv(text!);
            if (shape.Count > 0)
            {
                return Problems.Invalid(shape.ToDictionary());
            }
            rows = parsed;
        }
        else
        {
            var (parsed, shape) = ParseJson(text!);
            if (shape.Count > 0)
            {
                return Problems.Invalid(shape.ToDictionary());
            }
            rows = parsed;
        }
        var (candles, errors) = CandleImport.Validate(rows);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }
        await store.ImportAsync(symbol, candles, http.RequestAborted);
        return TypedResults.Ok(new CandleImportResult(symbol, candles.Count, candles[0].OpenTime, candles[^1].OpenTime));
    }

    private static async Task<(string? Text, IResult? TooLarge)> ReadTextAsync(HttpRequest request)
    {
        var (body, tooLarge) = await RequestBody.ReadBoundedAsync(request, "; import long histories in several uploads");
        if (body is null)
        {
            return (null, tooLarge);
        }
        using (body)
        {
            return (Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length), null);
        }
    }

    private static readonly string[] Fields = ["openTime", "open", "high", "low", "close", "volume"];

    /// <summary>A JSON array of objects with exactly the six fields; numbers or strings, openTime ISO 8601 or epoch ms.</summary>
    private static (IReadOnlyList<RawCandle>, IReadOnlyDictionary<string, string[]>) ParseJson(string text)
    {
        var errors = new FieldErrors();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            errors.Add("body", e.Message.Split(" Path:", 2)[0]);
            return ([], errors.ToDictionary());
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                errors.Add("body", "must be a JSON array of candles");
                return ([], errors.ToDictionary());
            }
            var rows = new List<RawCandle>();
            var i = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var key = $"rows[{i++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(key, "must be an object");
                    rows.Add(new RawCandle(null, null, null, null, null, null));
                    continue;
                }
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var property in item.EnumerateObject())
                {
                    if (!Fields.Contains(property.Name, StringComparer.Ordinal))
                    {
                        errors.Add($"{key}.{property.Name}", "unknown field");
                    }
                    else if (!values.TryAdd(property.Name, Text(property.Value)))
                    {
                        errors.Add($"{key}.{property.Name}", "appears twice");
                    }
                }
                rows.Add(new RawCandle(values.GetValueOrDefault("openTime"), values.GetValueOrDefault("open"), values.GetValueOrDefault("high"),
                    values.GetValueOrDefault("low"), values.GetValueOrDefault("close"), values.GetValueOrDefault("volume")));
                if (errors.Count >= CandleImport.MaxErrors)
                {
                    break;
                }
            }
            return (rows, errors.ToDictionary());
        }
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => "",
    };
}

/// <summary>One candle of a JSON import (openTime: ISO 8601 UTC or epoch milliseconds).</summary>
public sealed record CandleRow(string OpenTime, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume);

public sealed record CandleImportResult(string Symbol, int Imported, DateTimeOffset From, DateTimeOffset To);
