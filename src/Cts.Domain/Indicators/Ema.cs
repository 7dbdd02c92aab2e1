namespace Cts.Domain.Indicators;

/// <summary>
/// Exponential moving average with multiplier α = 2 / (period + 1).
/// </summary>
/// <remarks>
/// Seeding convention (the common one, used by StockCharts ChartSchool and TA-Lib): no value until
/// <see cref="Period"/> inputs have been seen; the first EMA is the simple average of those inputs; after that
/// EMA = EMA_prev + α × (x − EMA_prev). Other tools (e.g. TradingView's <c>ta.ema</c>) seed with the first input
/// instead; both converge, but values right after warm-up differ, so feed a few times <see cref="Period"/> of history
/// when the exact level matters.
/// </remarks>
public sealed class Ema
{
    private readonly double _alpha;
    private int _count;
    private double _seedSum;

    public Ema(int period)
    {
        Period = IndicatorGuard.Period(period);
        _alpha = 2.0 / (period + 1);
    }

    public int Period { get; }

    /// <summary>True once <see cref="Period"/> values have been seen.</summary>
    public bool IsReady => _count >= Period;

    /// <summary>The current EMA, or null while warming up.</summary>
    public double? Current { get; private set; }

    /// <summary>Adds the next value and returns the current EMA (null while warming up).</summary>
    public double? Update(double value)
    {
        IndicatorGuard.Finite(value);
        if (_count < Period)
        {
            _count++;
            _seedSum += value;
            if (_count == Period)
            {
                Current = _seedSum / Period;
            }
            return Current;
        }
        Current += _alpha * (value - Current!.Value);
        return Current;
    }

    /// <summary>The EMA of every prefix of <paramref name="values"/>: element i is what <see cref="Update"/> returns for value i.</summary>
    public static double?[] Compute(IReadOnlyList<double> values, int period)
    {
        ArgumentNullException.ThrowIfNull(values);
        var ema = new Ema(period);
        var result = new double?[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            result[i] = ema.Update(values[i]);
        }
        return result;
    }
}
