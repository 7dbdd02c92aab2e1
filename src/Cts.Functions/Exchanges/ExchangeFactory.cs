using Cts.Domain.Connections;
using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;

namespace Cts.Functions.Exchanges;

/// <summary>Builds the <see cref="IExchange"/> a connection trades on. The seam where tests inject exchange faults.</summary>
public interface IExchangeFactory
{
    IExchange Create(Connection connection);
}

/// <summary>Venues by name: data, not scattered <c>if</c>s.</summary>
public sealed class ExchangeFactory(PaperMarket paperMarket, TimeProvider time, PaperFillModel paperFills, PaperLedgers paperLedgers)
    : IExchangeFactory
{
    public IExchange Create(Connection connection) => connection.Exchange switch
    {
        PaperExchange.VenueName => new PaperExchange(paperMarket, time, paperFills, paperLedgers.For(connection.Id)),
        _ => throw new ExchangeException(ExchangeFaultKind.Rejected,
            $"exchange '{connection.Exchange}' has no adapter in this build; use 'paper'"),
    };
}
