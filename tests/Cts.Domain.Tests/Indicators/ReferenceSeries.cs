using Cts.Domain.Market;

namespace Cts.Domain.Tests.Indicators;

/// <summary>Inputs shared by the indicator tests.</summary>
internal static class ReferenceSeries
{
    /// <summary>
    /// Intel (INTC) daily closes, 24-Mar-2010 to 05-May-2010, from the StockCharts ChartSchool article
    /// "Moving Averages - Simple and Exponential", used there for the 10-day SMA and EMA. These are the spreadsheet's
    /// 4-decimal closes (the article's table shows them rounded to 2 decimals, e.g. 22.27); the published averages
    /// were computed from the 4-decimal values, and 2-decimal inputs would miss two of them by a cent.
    /// </summary>
    public static readonly double[] IntelCloses =
    [
        22.2734, 22.1940, 22.0847, 22.1741, 22.1840, 22.1344, 22.2337, 22.4323, 22.2436, 22.2933,
        22.1542, 22.3926, 22.3816, 22.6109, 23.3558, 24.0519, 23.7530, 23.8324, 23.9516, 23.6338,
        23.8225, 23.8722, 23.6537, 23.1870, 23.0976, 23.3260, 22.6805, 23.0976, 22.4025, 22.1725,
    ];

    /// <summary>
    /// A long, realistic-looking path for properties that must hold on any data (streaming equals batch, bounds):
    /// 300 one-minute candles from the deterministic paper market.
    /// </summary>
    public static IReadOnlyList<Candle> MarketCandles(string symbol = "BTCUSDT") =>
        new PaperMarket(seed: 11).RecentCandles(symbol, new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero), 300);

    public static double[] MarketCloses(string symbol = "BTCUSDT") =>
        MarketCandles(symbol).Select(c => (double)c.Close).ToArray();

    /// <summary>Asserts that <paramref name="actual"/> is within half a unit of the 2nd decimal of <paramref name="published"/>.</summary>
    public static void EqualTo2Decimals(double published, double? actual, string label)
    {
        Assert.True(actual.HasValue, $"{label}: no value");
        Assert.True(Math.Abs(actual.Value - published) <= 0.005 + 1e-9,
            $"{label}: expected {published} (2 dp), got {actual.Value}");
    }
}
