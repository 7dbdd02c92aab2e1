using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;

namespace Cts.Functions.Exchanges;

/// <summary>
/// One resilience pipeline per connection, built on first use and kept for the life of the process, so the circuit
/// breaker remembers a failing venue across engine runs (a restart or re-initialization of the engine does not reset
/// it). A connection whose options change (e.g. <c>exchangeTimeoutSeconds</c> edited) gets a new pipeline, with a
/// fresh breaker. Register as a singleton. Logs each connection's circuit opening, half-opening and closing.
/// </summary>
public sealed partial class ExchangeResiliencePipelines(TimeProvider time, ILogger<ExchangeResiliencePipelines> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _pipelines = new(StringComparer.Ordinal);

    /// <summary>The pipeline of <paramref name="connectionId"/> for <paramref name="options"/>.</summary>
    public ResiliencePipeline For(string connectionId, ExchangeResilienceOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentNullException.ThrowIfNull(options);
        while (true)
        {
            var found = _pipelines.TryGetValue(connectionId, out var current);
            if (found && current!.Options == options)
            {
                return current.Pipeline;
            }
            var circuit = new CircuitBreakerStateProvider();
            var hooks = new ExchangeResilienceHooks
            {
                Circuit = circuit,
                OnCircuitChanged = state =>
                {
                    if (state == CircuitState.Open)
                    {
                        LogCircuitOpened(connectionId, options.BreakDuration);
                    }
                    else
                    {
                        LogCircuitChanged(connectionId, state);
                    }
                },
            };
            var fresh = new Entry(options, ExchangeResilience.Build(connectionId, options, time, hooks), circuit);
            // Two callers racing for the same connection agree on one pipeline: the loser takes the winner's.
            if (found ? _pipelines.TryUpdate(connectionId, fresh, current!) : _pipelines.TryAdd(connectionId, fresh))
            {
                return fresh.Pipeline;
            }
        }
    }

    /// <summary>The state of the connection's circuit breaker; null before its pipeline is first built.</summary>
    public CircuitState? CircuitOf(string connectionId) =>
        _pipelines.TryGetValue(connectionId, out var entry) ? entry.Circuit.CircuitState : null;

    /// <summary>Forgets the connection's pipeline (e.g. when the connection is deleted); true if there was one.</summary>
    public bool Remove(string connectionId) => _pipelines.TryRemove(connectionId, out _);

    [LoggerMessage(LogLevel.Warning, "Exchange circuit of connection {ConnectionId} opened: calls fail fast for {BreakDuration}")]
    private partial void LogCircuitOpened(string connectionId, TimeSpan breakDuration);

    [LoggerMessage(LogLevel.Information, "Exchange circuit of connection {ConnectionId} is {State}")]
    private partial void LogCircuitChanged(string connectionId, CircuitState state);

    private sealed record Entry(ExchangeResilienceOptions Options, ResiliencePipeline Pipeline, CircuitBreakerStateProvider Circuit);
}
