using Cts.Domain.Market;

namespace Cts.Domain.Exchanges;

/// <summary>The embedded paper venue: quotes and candles from the seeded <see cref="PaperMarket"/> at the clock's time.</summary>
public sealed class PaperExchange(PaperMarket market, TimeProvider time) : IExchange
{
    public const string VenueName = "paper";

    public string Name => VenueName;

    public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken) =>
        Task.FromResult(market.QuoteAt(symbol, time.GetUtcNow()));

    public Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken) =>
        Task.FromResult(market.RecentCandles(symbol, time.GetUtcNow(), count));
}
