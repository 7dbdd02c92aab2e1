using System.Globalization;
using Cts.Domain.Exchanges;
using Cts.Domain.Exchanges.Binance;

namespace Cts.Functions.Exchanges.Binance;

/// <summary>
/// An error answer of the Binance API (<c>{"code": -1121, "msg": "Invalid symbol."}</c>, rest-api.md "Error Codes"):
/// what the venue said, before the adapter decides what it means. Never leaves the adapter: see <see cref="ToExchange"/>.
/// </summary>
public sealed class BinanceApiError(string endpoint, int httpStatus, int? code, string? venueMessage)
    : Exception(Describe(endpoint, httpStatus, code, venueMessage))
{
    public string Endpoint { get; } = endpoint;
    public int HttpStatus { get; } = httpStatus;
    public int? Code { get; } = code;
    public string? VenueMessage { get; } = venueMessage;

    /// <summary>The error as the engine handles it: a refused key, a transient fault, or a rejected request.</summary>
    public ExchangeException ToExchange() => BinanceErrors.KindOf(HttpStatus, Code) switch
    {
        ExchangeFaultKind.CredentialsRejected => new ExchangeException(ExchangeFaultKind.CredentialsRejected,
            $"binance refused the API key: {Message}", this),
        var kind => new ExchangeException(kind, $"binance {Message}", this),
    };

    private static string Describe(string endpoint, int httpStatus, int? code, string? message) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{endpoint} answered HTTP {httpStatus}{(code is { } c ? $" code {c}" : "")}{(string.IsNullOrEmpty(message) ? "" : $": {message}")}");
}
