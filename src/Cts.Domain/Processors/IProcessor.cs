namespace Cts.Domain.Processors;

/// <summary>
/// One step of an engine's cycle. A processor does its work against the engine's <see cref="EngineCycleContext"/>
/// and throws when the cycle failed; the engine measures it and records the outcome in its health.
/// </summary>
public interface IProcessor
{
    ProcessorKind Kind { get; }

    Task RunAsync(EngineCycleContext context, CancellationToken cancellationToken);
}
