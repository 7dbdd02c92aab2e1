using System.Text.RegularExpressions;
using Cts.Functions.Security;
using Cts.Functions.Storage;

namespace Cts.Functions.Api;

/// <summary>
/// <c>POST /api/candles/{symbol}</c>: imports one-minute OHLCV candles for backtests, as CSV (<c>text/csv</c>, header
/// <c>openTime,open,high,low,close,volume</c>) or a JSON array of the same objects, up to <see cref="MaxUploadBytes"/> in one
/// request (a year of one-minute candles as CSV is ~47 MB). Read as a stream and validated whole (<see cref="CandleUpload"/>):
/// one bad row refuses the upload with the rows' errors and nothing is written; a valid one is written in batches.
/// </summary>
public static partial class CandlesApi
{
    /// <summary>The body limit of this route alone: every other request is held to 64 KiB.</summary>
    public const long MaxUploadBytes = 64L * 1024 * 1024;

    [GeneratedRegex("^[A-Z0-9]{2,20}USDT$")]
    private static partial Regex SymbolPattern();

    public static IEndpointRouteBuilder MapCandlesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/candles/{symbol}", Import).WithTags("Backtests").RequireAdmin()
            .WithName("importCandles").WithSummary("Import one-minute OHLCV candles (CSV or JSON) for backtests; merged into what is stored")
            .WithDescription("Up to 64 MiB in one request, so a year of one-minute candles of a symbol (525,600 rows, ~47 MB as CSV with 8-decimal prices) goes "
                + "in one upload. The whole upload is validated before anything is written.")
            .WithRequestBodyLimit(MaxUploadBytes, "Candle imports", " (a year of one-minute candles of a symbol, ~47 MB of CSV, fits; send longer histories in several uploads)")
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
        var upload = await CandleUpload.ReadAsync(http.Request, csv: mediaType == "text/csv");
        if (upload.TooLarge)
        {
            return RequestBodyLimit.Of(http).TooLarge();
        }
        if (upload.Errors.Count > 0)
        {
            return Problems.Invalid(upload.Errors.ToDictionary());
        }
        var candles = upload.Candles;
        await store.ImportAsync(symbol, candles, http.RequestAborted);
        return TypedResults.Ok(new CandleImportResult(symbol, candles.Count, candles[0].OpenTime, candles[^1].OpenTime));
    }
}

/// <summary>One candle of a JSON import (openTime: ISO 8601 UTC or epoch milliseconds).</summary>
public sealed record CandleRow(string OpenTime, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume);

public sealed record CandleImportResult(string Symbol, int Imported, DateTimeOffset From, DateTimeOffset To);
