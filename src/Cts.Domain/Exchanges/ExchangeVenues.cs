namespace Cts.Domain.Exchanges;

/// <summary>
/// The venues of this build, as data in one place: connections are validated against this list (create, PUT, PATCH,
/// import and restore alike), and the host's exchange factory builds an adapter per name. A new venue is one line
/// here plus its adapter.
/// </summary>
public static class ExchangeVenues
{
    /// <summary>The embedded paper market: no credentials, no test network.</summary>
    public static readonly ExchangeVenue Paper = new(PaperExchange.VenueName, RequiresCredentials: false, HasTestnet: false);

    /// <summary>Binance spot: signed requests, with a testnet.</summary>
    public static readonly ExchangeVenue Binance = new("binance", RequiresCredentials: true, HasTestnet: true);

    public static readonly IReadOnlyList<ExchangeVenue> All = [Paper, Binance];

    /// <summary>The venue named <paramref name="name"/> (exact, lower-case), or null when this build has none.</summary>
    public static ExchangeVenue? Find(string? name) => All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.Ordinal));

    public static IReadOnlyList<string> Names { get; } = All.Select(v => v.Name).ToList();
}
