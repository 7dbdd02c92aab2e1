using Cts.Domain.Exchanges;
using Cts.Functions.Storage;

namespace Cts.Functions.Exchanges;

/// <summary>The paper venue's books, one <see cref="TablePaperLedger"/> per connection id, all starting with the same quote balance.</summary>
public sealed class PaperLedgers(CtsTables tables, decimal startingQuoteBalance = PaperLedger.DefaultStartingQuoteBalance)
{
    /// <summary>The USDT balance a connection's paper account starts with.</summary>
    public decimal StartingQuoteBalance { get; } = startingQuoteBalance;

    /// <summary>The ledger of <paramref name="connectionId"/>. The books live in the table; the ledger keeps the balance rows it last read or wrote (checked by their ETags), so take one per engine run.</summary>
    public IPaperLedger For(string connectionId) => new TablePaperLedger(tables, connectionId, StartingQuoteBalance);
}
