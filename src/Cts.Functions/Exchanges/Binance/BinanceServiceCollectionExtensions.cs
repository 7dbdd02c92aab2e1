using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Cts.Functions.Exchanges.Binance;

public static class BinanceServiceCollectionExtensions
{
    /// <summary>
    /// The Binance spot venue: options from <c>Exchanges:Binance</c>, the node's venues, and the named HTTP client with the
    /// standard resilience handler. That handler retries only idempotent requests (never an order placement or cancel:
    /// after an ambiguous failure the adapter looks the order up before sending it again) and only for connection
    /// failures, timeouts and 5xx — not 429/418, whose Retry-After the adapter's weight budget honours node-wide.
    /// </summary>
    public static IServiceCollection AddCtsBinance(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BinanceOptions>().Bind(configuration.GetSection(BinanceOptions.Section));
        services.AddSingleton<BinanceVenues>();
        services.AddHttpClient(BinanceHttp.ClientName).AddStandardResilienceHandler(options =>
        {
            options.Retry.MaxRetryAttempts = 1;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.Retry.ShouldRetryAfterHeader = false;
            options.Retry.ShouldHandle = args => ValueTask.FromResult(IsVenueFault(args.Outcome));
            options.Retry.DisableForUnsafeHttpMethods();
            options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsVenueFault(args.Outcome));
        });
        return services;
    }

    private static bool IsVenueFault(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };
}
