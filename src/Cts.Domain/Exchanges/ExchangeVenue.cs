namespace Cts.Domain.Exchanges;

/// <summary>
/// What the configuration needs to know about a venue this build can trade on: its name as connections spell it,
/// whether it trades without credentials, and whether it has a test network (<c>testnet: true</c>).
/// </summary>
public sealed record ExchangeVenue(string Name, bool RequiresCredentials, bool HasTestnet);
