using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;
using Cts.Functions.Exchanges.Binance;

namespace Cts.Functions.Exchanges;

/// <summary>Builds the <see cref="IExchange"/> a connection trades on. The seam where tests inject exchange faults.</summary>
public interface IExchangeFactory
{
    IExchange Create(Connection connection, EngineSettings settings);
}

/// <summary>
/// Venues by name (data, not scattered <c>if</c>s), each wrapped in the connection's resilience pipeline: every call
/// that leaves the process has a timeout, transient retries and a circuit breaker. The plain paper venue's market data
/// never leaves the process and is only metered (<see cref="MeteredExchange"/>); its ledger calls keep the pipeline's
/// timeout and breaker, without its retries (the storage client retries each request itself).
/// </summary>
public sealed class ExchangeFactory : IExchangeFactory
{
    private readonly IReadOnlyDictionary<string, Func<Connection, IExchange>> _venues;
    private readonly bool _paperInProcess;
    private readonly ExchangeResiliencePipelines _resilience;

    public ExchangeFactory(PaperMarket paperMarket, TimeProvider time, PaperFillModel paperFills, PaperLedgers paperLedgers,
        ExchangeResiliencePipelines resilience, BinanceVenues binance, IConfiguration configuration)
    {
        _resilience = resilience;
        var latency = configuration.GetValue<int?>("Paper:LatencyMs") is int ms and > 0 ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        _paperInProcess = latency is null;
        _venues = new Dictionary<string, Func<Connection, IExchange>>(StringComparer.Ordinal)
        {
            // The paper venue, with a simulated round trip when Paper:LatencyMs is set.
            [PaperExchange.VenueName] = connection =>
            {
                IExchange paper = new PaperExchange(paperMarket, time, paperFills, paperLedgers.For(connection.Id));
                return latency is { } delay ? new SimulatedLatencyExchange(paper, delay, time) : paper;
            },
            // Binance spot, live or testnet by the connection's flag; its node-wide parts are shared per base URL.
            [BinanceExchange.VenueName] = binance.Create,
        };
    }

    /// <summary>The names of the venues this build can trade on.</summary>
    public IReadOnlyCollection<string> Venues => _venues.Keys.ToList();

    public IExchange Create(Connection connection, EngineSettings settings)
    {
        var venue = Venue(connection);
        var inProcessPaper = _paperInProcess && connection.Exchange == PaperExchange.VenueName;
        var options = ExchangeResilienceOptions.From(settings);
        if (inProcessPaper)
        {
            // Its calls are storage requests, which the storage client already retries: retrying each call again here
            // sent four times as many requests into a storage outage. An order that fails stays pending and is
            // reconciled, with a backoff, by the engine's cycles.
            options = options with { MaxRetryAttempts = 0 };
        }
        var resilient = new ResilientExchange(venue, _resilience.For(connection.Id, options), connection.Id,
            Observability.CtsMetrics.RecordExchangeCall);
        return inProcessPaper
            ? new MeteredExchange(venue, resilient, Observability.CtsMetrics.RecordExchangeCall)
            : resilient;
    }

    private IExchange Venue(Connection connection) => _venues.TryGetValue(connection.Exchange, out var create)
        ? create(connection)
        : throw new ExchangeException(ExchangeFaultKind.Rejected,
            $"exchange '{connection.Exchange}' has no adapter in this build; use one of: {string.Join(", ", _venues.Keys)}");
}
