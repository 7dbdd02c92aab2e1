using Cts.Domain.Market;

namespace Cts.Domain.Indicators;

/// <summary>
/// Candles carry decimal prices (money); indicators work in double (statistics, where speed matters more than the
/// last digit). This is the one place that crosses over.
/// </summary>
public static class CandlePrices
{
    /// <summary>The closes of <paramref name="candles"/> as doubles, in the same order.</summary>
    public static double[] Closes(IReadOnlyList<Candle> candles)
    {
        ArgumentNullException.ThrowIfNull(candles);
        var closes = new double[candles.Count];
        for (var i = 0; i < candles.Count; i++)
        {
            closes[i] = Close(candles[i]);
        }
        return closes;
    }

    /// <summary>The close of one candle as a double: for feeding a streaming indicator without an array per call.</summary>
    public static double Close(Candle candle) => (double)candle.Close;
}
