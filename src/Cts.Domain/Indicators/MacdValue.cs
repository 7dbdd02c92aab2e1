namespace Cts.Domain.Indicators;

/// <summary>One MACD reading: the line (fast EMA − slow EMA), its signal EMA, and the histogram (line − signal).</summary>
public readonly record struct MacdValue(double Line, double Signal, double Histogram);
