namespace Cts.Domain.Market;

/// <summary>One OHLCV candle; <see cref="OpenTime"/> is the start of its interval.</summary>
public sealed record Candle(DateTimeOffset OpenTime, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume);
