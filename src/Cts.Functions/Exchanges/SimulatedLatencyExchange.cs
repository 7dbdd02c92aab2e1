using Cts.Domain.Exchanges;
using Cts.Domain.Market;

namespace Cts.Functions.Exchanges;

/// <summary>
/// Adds a venue's round-trip time to every call of the paper venue (<c>Paper:LatencyMs</c>), so paper engines
/// behave like engines on a real network: cycles take time, shutdown has in-flight work to wait for.
/// </summary>
public sealed class SimulatedLatencyExchange(IExchange inner, TimeSpan latency, TimeProvider time) : IExchange
{
    public string Name => inner.Name;

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        await inner.CheckAsync(cancellationToken);
    }

    /// <summary>The inner venue's probe after the simulated round trip, which its latency then includes.</summary>
    public async Task<ExchangeProbe> ProbeAsync(IReadOnlyList<string> symbols, TimeProvider clock, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        await DelayAsync(cancellationToken);
        var probe = await inner.ProbeAsync(symbols, clock, cancellationToken);
        return probe with { LatencyMs = clock.GetElapsedTime(started).TotalMilliseconds };
    }

    public async ValueTask<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        return await inner.GetQuoteAsync(symbol, cancellationToken);
    }

    public async Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        return await inner.GetCandlesAsync(symbol, count, cancellationToken);
    }

    public async Task<OrderResult> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        return await inner.PlaceOrderAsync(request, cancellationToken);
    }

    public async Task<OrderResult?> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        return await inner.GetOrderAsync(symbol, clientOrderId, cancellationToken);
    }

    public async Task<bool> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        return await inner.CancelOrderAsync(symbol, clientOrderId, cancellationToken);
    }

    public async Task<Balance> GetBalanceAsync(string asset, CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        return await inner.GetBalanceAsync(asset, cancellationToken);
    }

    private Task DelayAsync(CancellationToken cancellationToken) => Task.Delay(latency, time, cancellationToken);
}
