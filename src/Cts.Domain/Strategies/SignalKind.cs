namespace Cts.Domain.Strategies;

/// <summary>What a strategy says about one symbol after a candle closed. Long-only spot: enter = buy, exit = sell.</summary>
public enum SignalKind
{
    None,
    Enter,
    Exit,
}
