using Cts.Domain.Strategies;
using Cts.Domain.Trading;

namespace Cts.Domain.Processors;

/// <summary>
/// Applies the preset's strategy to each symbol's fresh candles: an entry signal opens a position within the risk
/// limits (never while paused, never twice for the same signal), an exit signal closes the symbol's positions. An entry
/// skipped because storage could not take its intent in time is reported (<see cref="EngineCycleContext.EntrySkipped"/>),
/// not failed.
/// Settles orders left pending by an earlier failure first, backing off while that keeps failing (<see cref="ReconcileBackoff"/>).
/// </summary>
public sealed class StrategiesProcessor : IProcessor
{
    public ProcessorKind Kind => ProcessorKind.Strategies;

    public async Task RunAsync(EngineCycleContext context, CancellationToken cancellationToken)
    {
        var trader = context.Trader;
        if (context.CanPersist)
        {
            await trader.Orders.ReconcileIfDueAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var symbol in context.Symbols)
        {
            if (!context.Candles.TryGetValue(symbol, out var candles))
            {
                continue; // the indications timer has not fired yet
            }
            var signal = trader.Strategy.Evaluate(candles);
            switch (signal.Kind)
            {
                case SignalKind.Enter:
                    await EnterAsync(context, symbol, signal.SignalTime!.Value, cancellationToken).ConfigureAwait(false);
                    break;
                case SignalKind.Exit:
                    foreach (var position in trader.Book.OpenPositions.Where(p => p.Symbol == symbol).ToList())
                    {
                        await trader.Orders.CloseAsync(position, ExitReason.Signal, cancellationToken).ConfigureAwait(false);
                    }
                    break;
            }
        }
    }

    private static async Task EnterAsync(EngineCycleContext context, string symbol, DateTimeOffset signalTime, CancellationToken cancellationToken)
    {
        var trader = context.Trader;
        var entryId = ClientOrderId.For(context.ConnectionId, symbol, signalTime, OrderSide.Buy);
        var gate = EntryGate.CanOpen(trader.Book.Exposure, trader.Risk, context.EntriesPaused || !context.CanPersist || context.EntriesHeld,
            trader.Book.HasUsed(entryId));
        if (!gate.Allowed)
        {
            return;
        }
        try
        {
            await trader.Orders.OpenAsync(symbol, signalTime, trader.Risk.PositionSizeQuote, cancellationToken).ConfigureAwait(false);
        }
        catch (EntrySkippedException skipped)
        {
            // Not a failed cycle: the other symbols are still evaluated, and the engine is told why this one was not entered.
            context.EntrySkipped?.Invoke(skipped);
        }
    }
}
