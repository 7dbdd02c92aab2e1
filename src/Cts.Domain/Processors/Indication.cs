namespace Cts.Domain.Processors;

/// <summary>The direction an indication points to.</summary>
public enum Direction
{
    Neutral,
    Up,
    Down,
}

/// <summary>
/// What the indications processor concluded for one symbol from its latest candles. A value (kept in place in the
/// engine's context, not an object each engine replaces every cycle); <see cref="Values"/> is shared by every engine
/// that read the same candles, and read-only.
/// </summary>
/// <param name="Strength">How far the fast average is from the slow one, relative to the price (0 when equal).</param>
public readonly record struct Indication(string Symbol, DateTimeOffset At, Direction Direction, double Strength, decimal Close,
    IReadOnlyDictionary<string, double> Values);
