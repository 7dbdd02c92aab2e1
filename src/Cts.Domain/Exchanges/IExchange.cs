using Cts.Domain.Market;

namespace Cts.Domain.Exchanges;

/// <summary>
/// What an engine needs from a venue. One implementation per venue (paper, binance); every call that leaves
/// the process is wrapped by the host in the connection's resilience pipeline.
/// </summary>
public interface IExchange
{
    /// <summary>The venue's name as used in a connection's <c>exchange</c> field.</summary>
    string Name { get; }

    /// <summary>Checks that the venue answers and accepts the credentials. Throws <see cref="ExchangeException"/> when not.</summary>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>The current best bid and ask of <paramref name="symbol"/>.</summary>
    Task<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken);

    /// <summary>The <paramref name="count"/> most recent completed one-minute candles, oldest first.</summary>
    Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken);
}
