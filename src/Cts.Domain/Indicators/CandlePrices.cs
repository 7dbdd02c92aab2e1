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
            closes[i] = (double)candles[i].Close;
        }
        return closes;
    }
}
