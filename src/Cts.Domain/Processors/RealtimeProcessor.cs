using Cts.Domain.Trading;

namespace Cts.Domain.Processors;

/// <summary>
/// Marks each symbol to market, then applies stop-loss, trailing stop and take-profit to every open position,
/// closing those whose rule triggers. Runs while Paused too: open positions are always protected.
/// </summary>
public sealed class RealtimeProcessor : IProcessor
{
    public ProcessorKind Kind => ProcessorKind.Realtime;

    public async Task RunAsync(EngineCycleContext context, CancellationToken cancellationToken)
    {
        var trader = context.Trader;
        if (context.CanPersist)
        {
            await trader.Orders.ReconcileIfDueAsync(cancellationToken).ConfigureAwait(false);
        }
        var symbols = context.Symbols;
        for (var i = 0; i < symbols.Count; i++)
        {
            var symbol = symbols[i];
            var quote = await context.Exchange.GetQuoteAsync(symbol, cancellationToken).ConfigureAwait(false);
            context.Marks[symbol] = quote;
            if (trader.Book.HasOpenPosition(symbol))
            {
                await ProtectAsync(trader, symbol, quote, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Applies the exit rules to the open positions on <paramref name="symbol"/>. Most cycles close nothing, so the
    /// positions are read in place and only those to close are copied (a close changes the book it iterates).
    /// </summary>
    private static async Task ProtectAsync(Trader trader, string symbol, Market.Quote quote, CancellationToken cancellationToken)
    {
        List<(Position Marked, ExitReason Reason)>? exits = null;
        foreach (var position in trader.Book.OpenPositionList)
        {
            if (position.Symbol != symbol || trader.Book.IsClosing(position.Id))
            {
                continue;
            }
            var marked = trader.Book.Mark(position, quote.Bid);
            if (ExitRules.Evaluate(marked, quote.Bid, trader.Risk) is { } reason)
            {
                (exits ??= []).Add((marked, reason));
            }
        }
        if (exits is null)
        {
            return;
        }
        foreach (var (marked, reason) in exits)
        {
            await trader.Orders.CloseAsync(marked, reason, cancellationToken).ConfigureAwait(false);
        }
    }
}
