namespace Cts.Domain.Indicators;

/// <summary>
/// Argument checks shared by the indicators. A NaN or infinity fed into a streaming average would poison every later
/// value silently, so inputs are refused at the door instead.
/// </summary>
internal static class IndicatorGuard
{
    public static int Period(int period, string name = "period")
    {
        if (period < 1)
        {
            throw new ArgumentOutOfRangeException(name, period, "must be at least 1");
        }
        return period;
    }

    public static double Finite(double value, string name = "value")
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be a finite number");
        }
        return value;
    }
}
