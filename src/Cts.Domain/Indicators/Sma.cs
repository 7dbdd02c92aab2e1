namespace Cts.Domain.Indicators;

/// <summary>
/// Simple moving average: the arithmetic mean of the last <see cref="Period"/> values. Streaming and O(1) per value
/// (a ring buffer and a running sum), so an engine can keep one per symbol and feed it each new candle close.
/// </summary>
/// <remarks>
/// The running sum is recomputed from the buffer once per <see cref="Period"/> updates, so floating-point error from
/// adding and subtracting does not accumulate over a long-lived stream (amortised still O(1)).
/// </remarks>
public sealed class Sma
{
    private readonly double[] _window;
    private int _count;
    private int _next;
    private double _sum;

    public Sma(int period)
    {
        Period = IndicatorGuard.Period(period);
        _window = new double[period];
    }

    public int Period { get; }

    /// <summary>True once <see cref="Period"/> values have been seen.</summary>
    public bool IsReady => _count >= Period;

    /// <summary>The average of the last <see cref="Period"/> values, or null before that many were seen.</summary>
    public double? Current { get; private set; }

    /// <summary>Adds the next value and returns the current average (null while warming up).</summary>
    public double? Update(double value)
    {
        IndicatorGuard.Finite(value);
        var leaving = _window[_next];
        _window[_next] = value;
        _next = (_next + 1) % Period;
        if (_count < Period)
        {
            _count++;
            _sum += value;
        }
        else if (_next == 0)
        {
            // The buffer just wrapped: refresh the sum exactly instead of carrying rounding error forever.
            _sum = 0;
            foreach (var v in _window)
            {
                _sum += v;
            }
        }
        else
        {
            _sum += value - leaving;
        }
        Current = IsReady ? _sum / Period : null;
        return Current;
    }

    /// <summary>The SMA of every prefix of <paramref name="values"/>: element i is what <see cref="Update"/> returns for value i.</summary>
    public static double?[] Compute(IReadOnlyList<double> values, int period)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sma = new Sma(period);
        var result = new double?[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            result[i] = sma.Update(values[i]);
        }
        return result;
    }
}
