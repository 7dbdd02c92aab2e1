using Cts.Domain.Market;

namespace Cts.Domain.Strategies;

/// <summary>
/// Strategies read "the last candle" and "the one before"; candles out of order would give a confident but wrong
/// signal, so they are refused loudly instead.
/// </summary>
internal static class CandleOrder
{
    public static void EnsureAscending(IReadOnlyList<Candle> candles)
    {
        ArgumentNullException.ThrowIfNull(candles);
        for (var i = 1; i < candles.Count; i++)
        {
            if (candles[i].OpenTime <= candles[i - 1].OpenTime)
            {
                throw new ArgumentException(
                    $"candles must be in strictly ascending OpenTime order; candle {i} ({candles[i].OpenTime:O}) is not after candle {i - 1} ({candles[i - 1].OpenTime:O})",
                    nameof(candles));
            }
        }
    }
}
