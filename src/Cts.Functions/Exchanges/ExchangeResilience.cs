using Cts.Domain.Config;
using Cts.Domain.Exchanges;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Cts.Functions.Exchanges;

/// <summary>
/// How hard one connection's exchange calls are protected: the bound on each attempt, the retries of transient faults,
/// and the circuit breaker that stops calling a venue that keeps failing. The defaults are the ones every connection
/// gets; only <see cref="AttemptTimeout"/> comes from the settings document (<c>exchangeTimeoutSeconds</c>).
/// </summary>
/// <remarks>
/// A record, so two options with the same values are equal: <see cref="ExchangeResiliencePipelines"/> keeps a
/// connection's pipeline (and its breaker state) for as long as its options are unchanged.
/// </remarks>
public sealed record ExchangeResilienceOptions
{
    /// <summary>How long one attempt of one call may take before it is abandoned (and counted as a transient fault).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt, for transient faults only (so at most 1 + this many attempts).</summary>
    public int MaxRetryAttempts { get; init; } = 3;

    /// <summary>The first backoff; each further retry waits about twice as long.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Randomizes the exponential backoff so connections that failed together do not retry together.</summary>
    public bool RetryJitter { get; init; } = true;

    /// <summary>
    /// The longest Retry-After (see <see cref="ExchangeThrottling"/>) the retry waits for. A venue asking for longer is
    /// not retried within the call: the call fails at once (transient) and the engine's next cycle tries again, instead
    /// of holding the cycle past its own timeout.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The share of failed attempts within <see cref="SamplingDuration"/> at which the circuit opens.</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>The rolling window the failure ratio is measured over.</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many attempts the window must hold before the ratio can open the circuit.</summary>
    public int MinimumThroughput { get; init; } = 10;

    /// <summary>How long an open circuit fails calls fast before it lets one probe through (half-open).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    public static ExchangeResilienceOptions Defaults { get; } = new();

    /// <summary>The defaults with the attempt timeout of <paramref name="settings"/> (<c>exchangeTimeoutSeconds</c>).</summary>
    public static ExchangeResilienceOptions From(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Defaults with { AttemptTimeout = TimeSpan.FromSeconds(settings.ExchangeTimeoutSeconds) };
    }
}

/// <summary>
/// Builds the resilience pipeline of one connection's exchange calls. Outermost to innermost:
/// <list type="number">
/// <item>retry: transient faults only (<see cref="IsTransient"/>), exponential backoff with jitter, or exactly the
/// venue's Retry-After when it sent one;</item>
/// <item>circuit breaker: counts every attempt; when open, attempts fail fast with <see cref="BrokenCircuitException"/>,
/// which is not retried;</item>
/// <item>timeout: bounds each attempt, so a hung attempt is abandoned, counted by the breaker and retried.</item>
/// </list>
/// The breaker sits inside the retry (as in the standard HTTP resilience handler) so that it sees each attempt and a
/// retry loop cannot hammer a venue the breaker has given up on.
/// </summary>
public static class ExchangeResilience
{
    /// <summary>The pipeline's name in Polly telemetry; the instance name is the connection id.</summary>
    public const string PipelineName = "cts-exchange";

    /// <summary>
    /// A new pipeline for <paramref name="connectionId"/>, with its own circuit breaker. Build it once per connection and
    /// reuse it for every call (see <see cref="ExchangeResiliencePipelines"/>): a breaker only protects the calls that
    /// share it.
    /// </summary>
    public static ResiliencePipeline Build(
        string connectionId,
        ExchangeResilienceOptions options,
        TimeProvider time,
        ExchangeResilienceHooks? hooks = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetryAttempts, nameof(options.MaxRetryAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRetryAfter, TimeSpan.Zero, nameof(options.MaxRetryAfter));

        var builder = new ResiliencePipelineBuilder
        {
            Name = PipelineName,
            InstanceName = connectionId,
            TimeProvider = time,
        };

        if (options.MaxRetryAttempts > 0)
        {
            var retry = new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.RetryJitter,
                Delay = options.RetryBaseDelay,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } e && ShouldRetry(e, options)),
                // A throttled call waits exactly what the venue asked for; everything else takes the backoff (null).
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is ExchangeException e && e.TryGetRetryAfter(out var retryAfter) ? retryAfter : null),
            };
            if (hooks?.Randomizer is { } randomizer)
            {
                retry.Randomizer = randomizer;
            }
            builder.AddRetry(retry);
        }

        var onCircuit = hooks?.OnCircuitChanged;
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.FailureRatio,
            SamplingDuration = options.SamplingDuration,
            MinimumThroughput = options.MinimumThroughput,
            BreakDuration = options.BreakDuration,
            // Only what says the venue is unwell. A rejected request or credentials say nothing about the venue's health.
            ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } e && IsTransient(e)),
            StateProvider = hooks?.Circuit,
            OnOpened = onCircuit is null ? null : _ => Notify(onCircuit, CircuitState.Open),
            OnHalfOpened = onCircuit is null ? null : _ => Notify(onCircuit, CircuitState.HalfOpen),
            OnClosed = onCircuit is null ? null : _ => Notify(onCircuit, CircuitState.Closed),
        });

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout });

        hooks?.Innermost?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>
    /// True for the faults that retrying can cure: a transient <see cref="ExchangeException"/> (5xx, throttling, a
    /// dropped connection the adapter recognized), an attempt that timed out, and an HTTP failure the adapter did not
    /// translate. Never <see cref="ExchangeFaultKind.CredentialsRejected"/> or <see cref="ExchangeFaultKind.Rejected"/>,
    /// never cancellation by the caller, and never an open circuit.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ExchangeException e => e.Kind == ExchangeFaultKind.Transient,
        TimeoutRejectedException => true,
        HttpRequestException => true,
        _ => false,
    };

    private static ValueTask Notify(Action<CircuitState> onCircuit, CircuitState state)
    {
        onCircuit(state);
        return default;
    }

    private static bool ShouldRetry(Exception exception, ExchangeResilienceOptions options) =>
        IsTransient(exception)
        && !(exception is ExchangeException e && e.TryGetRetryAfter(out var retryAfter) && retryAfter > options.MaxRetryAfter);
}

/// <summary>Optional ways into a connection's pipeline, for status, logging and tests.</summary>
public sealed record ExchangeResilienceHooks
{
    /// <summary>Receives the breaker's state, to read it at any time.</summary>
    public CircuitBreakerStateProvider? Circuit { get; init; }

    /// <summary>
    /// Called when the breaker opens (<see cref="CircuitState.Open"/>), lets a probe through
    /// (<see cref="CircuitState.HalfOpen"/>) or closes again (<see cref="CircuitState.Closed"/>). Runs inside the call
    /// that caused the change: keep it short.
    /// </summary>
    public Action<CircuitState>? OnCircuitChanged { get; init; }

    /// <summary>
    /// Adds strategies inside the attempt timeout, around the call itself: the place for chaos strategies in tests.
    /// </summary>
    public Action<ResiliencePipelineBuilder>? Innermost { get; init; }

    /// <summary>The backoff jitter's random source (values in [0, 1)); tests pass a seeded one.</summary>
    public Func<double>? Randomizer { get; init; }
}
