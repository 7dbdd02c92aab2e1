using System.Globalization;
using System.Net;
using System.Text.Json;
using Cts.Domain.Exchanges;
using Cts.Domain.Exchanges.Binance;

namespace Cts.Functions.Exchanges.Binance;

/// <summary>
/// Sends requests to one Binance base URL for every connection of the node: reserves each endpoint's weight in the
/// node's <see cref="WeightBudget"/> first, reads <c>X-MBX-USED-WEIGHT-1M</c> from every answer, honours
/// <c>Retry-After</c> of a 429/418 for every later call, signs SIGNED requests (timestamp from the
/// <see cref="BinanceServerClock"/>, <c>recvWindow</c>, <c>X-MBX-APIKEY</c>), and on -1021 measures the clock again
/// and tries once more (rest-api.md "LIMITS", "SIGNED (TRADE and USER_DATA) Endpoint security", "Timing security").
/// </summary>
/// <remarks>
/// HTTP goes through the named client <see cref="ClientName"/> of <see cref="IHttpClientFactory"/>, which carries the
/// standard resilience handler; every call is also inside the connection's own pipeline (<see cref="ResilientExchange"/>).
/// A held-back call is not sent at all: it fails at once with a throttled <see cref="ExchangeException"/> carrying the
/// delay, which the connection's retry waits out exactly (<see cref="ExchangeThrottling"/>).
/// </remarks>
public sealed class BinanceHttp
{
    public const string ClientName = "binance";
    public const string ApiKeyHeader = "X-MBX-APIKEY";
    public const string UsedWeightHeader = "X-MBX-USED-WEIGHT-1M";

    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly int _recvWindowMs;

    public BinanceHttp(IHttpClientFactory clients, string baseUrl, TimeProvider time, BinanceOptions options)
    {
        _clients = clients;
        _time = time;
        BaseUrl = baseUrl;
        _recvWindowMs = Math.Clamp(options.RecvWindowMs, 1, 60_000);
        Clock = new BinanceServerClock(this, time, TimeSpan.FromSeconds(Math.Max(1, options.TimeSyncSeconds)));
    }

    public string BaseUrl { get; }

    public WeightBudget Budget { get; } = new();

    public BinanceServerClock Clock { get; }

    /// <summary>A NONE-security call (market data, ping, time).</summary>
    public Task<JsonElement> PublicAsync(BinanceEndpoint endpoint, IReadOnlyList<KeyValuePair<string, string>> parameters,
        CancellationToken cancellationToken) =>
        SendAsync(endpoint, BinanceSignature.Query(parameters), null, cancellationToken);

    /// <summary>A SIGNED call; on -1021 the clock is measured again and the call made once more with a new timestamp.</summary>
    public async Task<JsonElement> SignedAsync(BinanceEndpoint endpoint, IReadOnlyList<KeyValuePair<string, string>> parameters,
        BinanceCredentials credentials, CancellationToken cancellationToken)
    {
        await Clock.EnsureFreshAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendSignedAsync(endpoint, parameters, credentials, cancellationToken).ConfigureAwait(false);
        }
        catch (BinanceApiError e) when (e.Code == BinanceErrors.InvalidTimestamp)
        {
            // Refused before it was processed (an order too: nothing was placed), so sending again is safe.
            await Clock.SyncAsync(cancellationToken).ConfigureAwait(false);
            return await SendSignedAsync(endpoint, parameters, credentials, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<JsonElement> SendSignedAsync(BinanceEndpoint endpoint, IReadOnlyList<KeyValuePair<string, string>> parameters,
        BinanceCredentials credentials, CancellationToken cancellationToken)
    {
        var all = new List<KeyValuePair<string, string>>(parameters)
        {
            new("recvWindow", _recvWindowMs.ToString(CultureInfo.InvariantCulture)),
            new("timestamp", Clock.NowMs().ToString(CultureInfo.InvariantCulture)),
        };
        var query = BinanceSignature.Query(all);
        var signature = BinanceSignature.Sign(credentials.ApiSecret, BinanceSignature.Payload(query, ""));
        return SendAsync(endpoint, query + "&signature=" + signature, credentials.ApiKey, cancellationToken);
    }

    private async Task<JsonElement> SendAsync(BinanceEndpoint endpoint, string query, string? apiKey, CancellationToken cancellationToken)
    {
        var wait = Budget.Reserve(endpoint.Weight, _time.GetUtcNow());
        if (wait > TimeSpan.Zero)
        {
            throw ExchangeThrottling.Throttled(
                string.Create(CultureInfo.InvariantCulture, $"binance {endpoint} held back {wait.TotalSeconds:0.###} s (request weight or Retry-After)"),
                wait);
        }
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method),
            BaseUrl + endpoint.Path + (query.Length > 0 ? "?" + query : ""));
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
        }
        using var response = await _clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (response.Headers.TryGetValues(UsedWeightHeader, out var used)
            && int.TryParse(used.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var usedWeight))
        {
            Budget.Observe(usedWeight, now);
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            using var json = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            return json.RootElement.Clone();
        }
        var (code, message) = ParseError(body);
        var error = new BinanceApiError(endpoint.ToString(), status, code, message);
        if (response.StatusCode is HttpStatusCode.TooManyRequests or (HttpStatusCode)418)
        {
            if (RetryAfter(response) is { } retryAfter)
            {
                // The limit is per IP: every connection of the node waits, not only this one.
                Budget.Block(now, retryAfter);
                throw ExchangeThrottling.Throttled($"binance {error.Message}; waiting the Retry-After of {retryAfter.TotalSeconds:0} s", retryAfter, error);
            }
            throw new ExchangeException(ExchangeFaultKind.Transient, $"binance {error.Message}", error);
        }
        throw error;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta)
            {
                return delta;
            }
            if (header.Date is { } date)
            {
                return date - _time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
            }
        }
        return null;
    }

    private static (int? Code, string? Message) ParseError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            int? code = root.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : null;
            var message = root.TryGetProperty("msg", out var m) ? m.GetString() : null;
            return (code, message);
        }
        catch (JsonException)
        {
            return (null, body.Length > 200 ? body[..200] : body);
        }
    }
}
