namespace Cts.Domain.Indicators;

/// <summary>
/// Moving Average Convergence/Divergence (Gerald Appel): line = EMA(fast) − EMA(slow), signal = EMA(signal) of the
/// line, histogram = line − signal. Defaults 12/26/9.
/// </summary>
/// <remarks>
/// Built from <see cref="Ema"/>, so it inherits its seeding: the line exists from the <c>slow</c>-th value, the signal
/// EMA is seeded with the simple average of the first <c>signal</c> line values, so a full reading (and
/// <see cref="IsReady"/>) needs slow + signal − 1 values (34 with the defaults).
/// </remarks>
public sealed class Macd
{
    public const int DefaultFast = 12;
    public const int DefaultSlow = 26;
    public const int DefaultSignal = 9;

    private readonly Ema _fast;
    private readonly Ema _slow;
    private readonly Ema _signal;

    public Macd(int fast = DefaultFast, int slow = DefaultSlow, int signal = DefaultSignal)
    {
        IndicatorGuard.Period(fast, nameof(fast));
        IndicatorGuard.Period(slow, nameof(slow));
        IndicatorGuard.Period(signal, nameof(signal));
        if (fast >= slow)
        {
            throw new ArgumentException($"fast ({fast}) must be shorter than slow ({slow})", nameof(fast));
        }
        _fast = new Ema(fast);
        _slow = new Ema(slow);
        _signal = new Ema(signal);
    }

    public int FastPeriod => _fast.Period;
    public int SlowPeriod => _slow.Period;
    public int SignalPeriod => _signal.Period;

    /// <summary>How many values a full reading needs: slow + signal − 1.</summary>
    public int WarmupValues => SlowPeriod + SignalPeriod - 1;

    /// <summary>The MACD line alone, available from the slow-th value on (before the signal is ready).</summary>
    public double? Line { get; private set; }

    /// <summary>True once line, signal and histogram all have values.</summary>
    public bool IsReady => _signal.IsReady;

    /// <summary>The current reading, or null until <see cref="IsReady"/>.</summary>
    public MacdValue? Current { get; private set; }

    /// <summary>Adds the next value and returns the current reading (null until the signal line is warmed up).</summary>
    public MacdValue? Update(double value)
    {
        IndicatorGuard.Finite(value);
        var fast = _fast.Update(value);
        var slow = _slow.Update(value);
        if (fast is not { } f || slow is not { } s)
        {
            return null;
        }
        var line = f - s;
        Line = line;
        if (_signal.Update(line) is { } signal)
        {
            Current = new MacdValue(line, signal, line - signal);
        }
        return Current;
    }

    /// <summary>The MACD of every prefix of <paramref name="values"/>: element i is what <see cref="Update"/> returns for value i.</summary>
    public static MacdValue?[] Compute(IReadOnlyList<double> values, int fast = DefaultFast, int slow = DefaultSlow,
        int signal = DefaultSignal)
    {
        ArgumentNullException.ThrowIfNull(values);
        var macd = new Macd(fast, slow, signal);
        var result = new MacdValue?[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            result[i] = macd.Update(values[i]);
        }
        return result;
    }
}
