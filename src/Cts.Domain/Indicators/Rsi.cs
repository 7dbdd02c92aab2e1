namespace Cts.Domain.Indicators;

/// <summary>
/// Wilder's Relative Strength Index (J. Welles Wilder, "New Concepts in Technical Trading Systems", 1978), 0–100.
/// </summary>
/// <remarks>
/// <para>The first average gain and average loss are the simple averages of the first <see cref="Period"/> changes, so
/// the first RSI needs <see cref="Period"/> + 1 values. After that each average is smoothed Wilder's way:
/// avg = (avg_prev × (period − 1) + current) / period. RSI = 100 − 100 / (1 + avgGain / avgLoss).</para>
/// <para>Edge cases: no losses and some gains → 100; no gains and some losses → 0; no movement at all → 50 (neither
/// side has strength, so a flat market never looks oversold or overbought to a strategy).</para>
/// </remarks>
public sealed class Rsi
{
    public const int DefaultPeriod = 14;

    private int _changes;
    private double? _previous;
    private double _avgGain;
    private double _avgLoss;

    public Rsi(int period = DefaultPeriod)
    {
        Period = IndicatorGuard.Period(period);
    }

    public int Period { get; }

    /// <summary>True once <see cref="Period"/> changes (<see cref="Period"/> + 1 values) have been seen.</summary>
    public bool IsReady => _changes >= Period;

    /// <summary>The current RSI, or null while warming up.</summary>
    public double? Current { get; private set; }

    /// <summary>Adds the next value and returns the current RSI (null while warming up).</summary>
    public double? Update(double value)
    {
        IndicatorGuard.Finite(value);
        if (_previous is not { } previous)
        {
            _previous = value;
            return null;
        }
        _previous = value;
        var change = value - previous;
        var gain = change > 0 ? change : 0;
        var loss = change < 0 ? -change : 0;
        if (_changes < Period)
        {
            // Seed phase: accumulate sums, divide once the first Period changes are in.
            _changes++;
            _avgGain += gain;
            _avgLoss += loss;
            if (_changes < Period)
            {
                return null;
            }
            _avgGain /= Period;
            _avgLoss /= Period;
        }
        else
        {
            _avgGain = (_avgGain * (Period - 1) + gain) / Period;
            _avgLoss = (_avgLoss * (Period - 1) + loss) / Period;
        }
        Current = FromAverages(_avgGain, _avgLoss);
        return Current;
    }

    private static double FromAverages(double avgGain, double avgLoss)
    {
        if (avgLoss == 0)
        {
            return avgGain == 0 ? 50 : 100;
        }
        return 100 - 100 / (1 + avgGain / avgLoss);
    }

    /// <summary>The RSI of every prefix of <paramref name="values"/>: element i is what <see cref="Update"/> returns for value i.</summary>
    public static double?[] Compute(IReadOnlyList<double> values, int period = DefaultPeriod)
    {
        ArgumentNullException.ThrowIfNull(values);
        var rsi = new Rsi(period);
        var result = new double?[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            result[i] = rsi.Update(values[i]);
        }
        return result;
    }
}
