namespace Cts.Domain.Exchanges;

/// <summary>How much of <paramref name="Asset"/> the account can spend (or sell) now.</summary>
public sealed record Balance(string Asset, decimal Free);
