namespace Cts.Domain.Processors;

/// <summary>
/// Applies the preset's rules to fresh indications. Until the strategies land it only checks that every symbol
/// has an indication to act on, and never acts while entries are paused.
/// </summary>
public sealed class StrategiesProcessor : IProcessor
{
    public ProcessorKind Kind => ProcessorKind.Strategies;

    public Task RunAsync(EngineCycleContext context, CancellationToken cancellationToken)
    {
        if (context.EntriesPaused)
        {
            return Task.CompletedTask;
        }
        foreach (var symbol in context.Symbols)
        {
            // No indication yet is normal right after start: the indications timer has not fired. Nothing to do.
            _ = context.Indications.TryGetValue(symbol, out _);
        }
        return Task.CompletedTask;
    }
}
