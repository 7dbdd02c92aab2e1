namespace Cts.Functions.Tests.Exchanges.FakeBinance;

/// <summary>
/// The fake's market: a price per minute that oscillates (so RSI-driven strategies find entries), a 2 bps spread, and a
/// factor a test can move to crash the price (to trigger a stop-loss).
/// </summary>
public sealed class FakeBinanceMarket
{
    private readonly object _gate = new();
    private decimal _factor = 1m;

    public decimal BasePrice { get; init; } = 50_000m;

    /// <summary>Multiplies every price from now on (0.9 = a 10 % fall).</summary>
    public decimal Factor
    {
        get
        {
            lock (_gate)
            {
                return _factor;
            }
        }
        set
        {
            lock (_gate)
            {
                _factor = value;
            }
        }
    }

    /// <summary>The close of the minute that opens at <paramref name="minute"/> (Unix minutes).</summary>
    public decimal CloseOf(long minute) =>
        decimal.Round(BasePrice * (1m + 0.004m * (decimal)Math.Sin(minute * 0.9)) * Factor, 2);

    public (decimal Bid, decimal Ask) QuoteAt(long serverMs)
    {
        var mid = CloseOf(serverMs / 60_000);
        return (decimal.Round(mid * 0.9999m, 2), decimal.Round(mid * 1.0001m, 2));
    }
}
