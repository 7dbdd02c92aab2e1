namespace Cts.Domain.Market;

/// <summary>
/// Where a paper venue takes its prices from: the seeded <see cref="PaperMarket"/>, its precomputed history for a
/// backtest window (<see cref="PaperHistory"/>), or imported candles (<see cref="CandleMarket"/>). Every source quotes
/// the same way between candle closes (<see cref="MinutePrices"/>), so the venue's fills follow one rule.
/// </summary>
public interface IMarketData
{
    /// <summary>Best bid and ask of <paramref name="symbol"/> at <paramref name="at"/>.</summary>
    Quote QuoteAt(string symbol, DateTimeOffset at);

    /// <summary>
    /// The <paramref name="count"/> completed one-minute candles before <paramref name="now"/>, oldest first. Depends only
    /// on the minute <paramref name="now"/> falls in: two calls within one minute give equal lists.
    /// </summary>
    IReadOnlyList<Candle> RecentCandles(string symbol, DateTimeOffset now, int count);
}
