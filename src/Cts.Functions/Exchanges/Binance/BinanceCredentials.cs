namespace Cts.Functions.Exchanges.Binance;

/// <summary>A connection's API key and secret in plaintext, for signing only. Never logged: <see cref="ToString"/> hides both.</summary>
public sealed record BinanceCredentials(string ApiKey, string ApiSecret)
{
    public override string ToString() => "BinanceCredentials { *** }";
}
