using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;

namespace Cts.Functions.Exchanges;

/// <summary>Builds the <see cref="IExchange"/> a connection trades on. The seam where tests inject exchange faults.</summary>
public interface IExchangeFactory
{
    IExchange Create(Connection connection, EngineSettings settings);
}

/// <summary>
/// Venues by name (data, not scattered <c>if</c>s), each wrapped in the connection's resilience pipeline: every call
/// that leaves the process has a timeout, transient retries and a circuit breaker.
/// </summary>
public sealed class ExchangeFactory(
    PaperMarket paperMarket, TimeProvider time, PaperFillModel paperFills, PaperLedgers paperLedgers,
    ExchangeResiliencePipelines resilience, IConfiguration configuration) : IExchangeFactory
{
    public IExchange Create(Connection connection, EngineSettings settings) =>
        new ResilientExchange(Venue(connection), resilience.For(connection.Id, ExchangeResilienceOptions.From(settings)), connection.Id,
            Observability.CtsMetrics.RecordExchangeCall);

    private IExchange Venue(Connection connection) => connection.Exchange switch
    {
        PaperExchange.VenueName => WithLatency(new PaperExchange(paperMarket, time, paperFills, paperLedgers.For(connection.Id))),
        _ => throw new ExchangeException(ExchangeFaultKind.Rejected,
            $"exchange '{connection.Exchange}' has no adapter in this build; use 'paper'"),
    };

    /// <summary>The paper venue with a simulated round trip when <c>Paper:LatencyMs</c> is set.</summary>
    private IExchange WithLatency(IExchange paper) => configuration.GetValue<int?>("Paper:LatencyMs") is int ms and > 0
        ? new SimulatedLatencyExchange(paper, TimeSpan.FromMilliseconds(ms), time)
        : paper;
}
