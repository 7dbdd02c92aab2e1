namespace Cts.Domain.Processors;

/// <summary>Marks each symbol to market from the exchange's current quote (open positions are valued from these marks).</summary>
public sealed class RealtimeProcessor : IProcessor
{
    public ProcessorKind Kind => ProcessorKind.Realtime;

    public async Task RunAsync(EngineCycleContext context, CancellationToken cancellationToken)
    {
        foreach (var symbol in context.Symbols)
        {
            context.Marks[symbol] = await context.Exchange.GetQuoteAsync(symbol, cancellationToken).ConfigureAwait(false);
        }
    }
}
