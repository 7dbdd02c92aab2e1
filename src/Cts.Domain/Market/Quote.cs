namespace Cts.Domain.Market;

/// <summary>Best bid and ask of a symbol at a time.</summary>
public readonly record struct Quote(string Symbol, decimal Bid, decimal Ask, decimal Mid, DateTimeOffset At);
