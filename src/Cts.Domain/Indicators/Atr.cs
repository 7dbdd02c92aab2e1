using Cts.Domain.Market;

namespace Cts.Domain.Indicators;

/// <summary>
/// Wilder's Average True Range: how far price typically travels in one candle, gaps included. Useful to size stops
/// relative to a symbol's own volatility.
/// </summary>
/// <remarks>
/// True range = max(high − low, |high − previous close|, |low − previous close|); the first candle has no previous
/// close, so its true range is high − low (the StockCharts ChartSchool convention). The first ATR is the simple average
/// of the first <see cref="Period"/> true ranges (ready at the <see cref="Period"/>-th candle); after that
/// ATR = (ATR_prev × (period − 1) + TR) / period.
/// </remarks>
public sealed class Atr
{
    public const int DefaultPeriod = 14;

    private int _count;
    private double? _previousClose;
    private double _seedSum;

    public Atr(int period = DefaultPeriod)
    {
        Period = IndicatorGuard.Period(period);
    }

    public int Period { get; }

    /// <summary>True once <see cref="Period"/> candles have been seen.</summary>
    public bool IsReady => _count >= Period;

    /// <summary>The current ATR, or null while warming up.</summary>
    public double? Current { get; private set; }

    /// <summary>Adds the next candle and returns the current ATR (null while warming up).</summary>
    public double? Update(Candle candle)
    {
        ArgumentNullException.ThrowIfNull(candle);
        return Update((double)candle.High, (double)candle.Low, (double)candle.Close);
    }

    /// <summary>Adds the next candle's high, low and close and returns the current ATR (null while warming up).</summary>
    public double? Update(double high, double low, double close)
    {
        IndicatorGuard.Finite(high, nameof(high));
        IndicatorGuard.Finite(low, nameof(low));
        IndicatorGuard.Finite(close, nameof(close));
        if (high < low)
        {
            throw new ArgumentException($"high ({high}) is below low ({low})", nameof(high));
        }
        var trueRange = TrueRange(high, low, _previousClose);
        _previousClose = close;
        if (_count < Period)
        {
            _count++;
            _seedSum += trueRange;
            if (_count == Period)
            {
                Current = _seedSum / Period;
            }
            return Current;
        }
        Current = (Current!.Value * (Period - 1) + trueRange) / Period;
        return Current;
    }

    /// <summary>The true range of one candle given the previous close (null for the first candle: high − low).</summary>
    public static double TrueRange(double high, double low, double? previousClose) => previousClose is { } pc
        ? Math.Max(high - low, Math.Max(Math.Abs(high - pc), Math.Abs(low - pc)))
        : high - low;

    /// <summary>The ATR after every candle of <paramref name="candles"/>: element i is what <see cref="Update(Candle)"/> returns for candle i.</summary>
    public static double?[] Compute(IReadOnlyList<Candle> candles, int period = DefaultPeriod)
    {
        ArgumentNullException.ThrowIfNull(candles);
        var atr = new Atr(period);
        var result = new double?[candles.Count];
        for (var i = 0; i < candles.Count; i++)
        {
            result[i] = atr.Update(candles[i]);
        }
        return result;
    }
}
