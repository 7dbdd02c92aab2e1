namespace Cts.Domain.Market;

/// <summary>
/// How a price moves inside one minute, for every market source: the log-price goes linearly from the minute's open to
/// its close, so the mid price — and with it bid and ask — is monotonic within a minute (never rising then falling).
/// The backtest relies on that to skip realtime ticks that provably cannot trigger an exit.
/// </summary>
public static class MinutePrices
{
    /// <summary>Minutes are counted from this instant by every source.</summary>
    public static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The mid price at <paramref name="fraction"/> (0 ≤ f &lt; 1) of a minute from log-price <paramref name="logOpen"/> to <paramref name="logClose"/>.</summary>
    public static decimal Mid(double logOpen, double logClose, double fraction) =>
        Round(Math.Exp(logOpen + (logClose - logOpen) * fraction));

    /// <summary>Best bid and ask <paramref name="spreadBps"/> apart around <paramref name="mid"/>.</summary>
    public static Quote Around(string symbol, decimal mid, double spreadBps, DateTimeOffset at)
    {
        var half = mid * (decimal)(spreadBps / 20000.0);
        return new Quote(symbol, Round(mid - half), Round(mid + half), mid, at);
    }

    /// <summary>The whole minutes from <see cref="Epoch"/> to <paramref name="at"/> and the fraction of the current one.</summary>
    public static (long Minute, double Fraction) Split(DateTimeOffset at)
    {
        var minutes = (at - Epoch).TotalMinutes;
        var minute = (long)Math.Floor(minutes);
        return (minute, minutes - minute);
    }

    /// <summary>The start of the minute with index <paramref name="minute"/>.</summary>
    public static DateTimeOffset StartOf(long minute) => Epoch.AddMinutes(minute);

    /// <summary>The index of the minute <paramref name="at"/> falls in.</summary>
    public static long MinuteOf(DateTimeOffset at) => Split(at).Minute;

    internal static decimal Round(double value) => Math.Round((decimal)value, 8);

    internal static decimal Round(decimal value) => Math.Round(value, 8);
}
