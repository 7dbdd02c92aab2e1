using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;
using Cts.Functions.Exchanges;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Cts.Functions.Tests.Exchanges;

/// <summary>
/// The resilience decorator against a mocked venue: faults are injected at the <see cref="IExchange"/> boundary and a
/// fake clock drives every timeout, backoff and break, so each bound is checked to the tick.
/// </summary>
public sealed class ResilientExchangeTests
{
    private const string Connection = "conn-1";
    private const string Symbol = "BTCUSDT";
    private const string Venue = "mockvenue";

    private static readonly DateTimeOffset Start = new(2025, 3, 14, 12, 0, 30, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly ExchangeResilienceOptions Options = ExchangeResilienceOptions.Defaults;
    private static readonly Quote SomeQuote = new(Symbol, 59_999m, 60_001m, 60_000m, Start);

    private readonly ExchangeTestClock _clock = new(Start);
    private readonly Mock<IExchange> _venue = new(MockBehavior.Strict);
    private readonly List<(string Operation, string Outcome)> _outcomes = [];

    public ResilientExchangeTests() => _venue.SetupGet(v => v.Name).Returns(Venue);

    [Fact]
    public void The_defaults_are_the_documented_ones_and_the_attempt_timeout_comes_from_the_settings()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Options.AttemptTimeout);
        Assert.Equal(3, Options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(200), Options.RetryBaseDelay);
        Assert.True(Options.RetryJitter);
        Assert.Equal(0.5, Options.FailureRatio);
        Assert.Equal(TimeSpan.FromSeconds(30), Options.SamplingDuration);
        Assert.Equal(10, Options.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), Options.BreakDuration);
        Assert.Equal(Options, ExchangeResilienceOptions.From(Cts.Domain.Config.EngineSettings.Defaults));
        Assert.Equal(TimeSpan.FromSeconds(12),
            ExchangeResilienceOptions.From(new Cts.Domain.Config.EngineSettings { ExchangeTimeoutSeconds = 12 }).AttemptTimeout);
    }

    [Fact]
    public async Task A_hung_call_times_out_exactly_at_the_attempt_bound_on_every_attempt_and_fails_transient_after_the_retries()
    {
        var options = Options with { RetryJitter = false }; // exact backoff: 200, 400, 800 ms
        var calls = 0;
        _venue.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>()))
            .Returns((string _, CancellationToken ct) =>
            {
                Interlocked.Increment(ref calls);
                return new ValueTask<Quote>(Hang<Quote>(ct));
            });
        var exchange = Resilient(options);

        var call = exchange.GetQuoteAsync(Symbol, None).AsTask();

        TimeSpan[] backoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800)];
        for (var attempt = 1; attempt <= options.MaxRetryAttempts + 1; attempt++)
        {
            await _clock.WaitForTimerAsync(options.AttemptTimeout, attempt); // this attempt is out and bounded
            Assert.Equal(attempt, Volatile.Read(ref calls));
            _clock.Advance(options.AttemptTimeout - Tick);
            Assert.False(call.IsCompleted, $"attempt {attempt} gave up before its bound");
            _clock.Advance(Tick);
            if (attempt <= options.MaxRetryAttempts)
            {
                var delay = backoff[attempt - 1];
                await _clock.WaitForTimerAsync(delay); // attempt timed out; the retry is scheduled
                _clock.Advance(delay - Tick);
                Assert.False(call.IsCompleted);
                Assert.Equal(attempt, Volatile.Read(ref calls));
                _clock.Advance(Tick);
            }
        }

        var e = await Assert.ThrowsAsync<ExchangeException>(() => call.WaitAsync(ExchangeTestClock.RealTimeLimit));
        Assert.Equal(ExchangeFaultKind.Transient, e.Kind);
        Assert.Contains("timed out after 5 s", e.Message);
        Assert.Contains("4 attempts", e.Message);
        Assert.IsType<TimeoutRejectedException>(e.InnerException);
        Assert.Equal(4, Volatile.Read(ref calls));
        Assert.Equal(4 * options.AttemptTimeout + TimeSpan.FromMilliseconds(1400), _clock.GetUtcNow() - Start);
        Assert.Equal([(ExchangeOperation.Quote, ExchangeCallOutcome.Timeout)], _outcomes);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_retried_and_surfaces_as_cancellation()
    {
        var calls = 0;
        _venue.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>()))
            .Returns((string _, CancellationToken ct) =>
            {
                Interlocked.Increment(ref calls);
                return new ValueTask<Quote>(Hang<Quote>(ct));
            });
        var exchange = Resilient();
        using var cycle = new CancellationTokenSource();

        var call = exchange.GetQuoteAsync(Symbol, cycle.Token).AsTask();
        await _clock.WaitForTimerAsync(Options.AttemptTimeout);
        await cycle.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(ExchangeTestClock.RealTimeLimit));
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.Equal([(ExchangeOperation.Quote, ExchangeCallOutcome.Canceled)], _outcomes);
    }

    [Fact]
    public async Task Transient_faults_are_retried_and_a_later_success_returns_the_value()
    {
        IReadOnlyList<Candle> candles = [new Candle(Start, 1m, 2m, 0.5m, 1.5m, 10m)];
        _venue.SetupSequence(v => v.GetCandlesAsync(Symbol, 60, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeException(ExchangeFaultKind.Transient, "502 bad gateway"))
            .ThrowsAsync(new HttpRequestException("connection reset by peer"))
            .ThrowsAsync(new TimeoutRejectedException("the venue client gave up"))
            .ReturnsAsync(candles);
        var exchange = Resilient();

        var result = await _clock.DriveAsync(exchange.GetCandlesAsync(Symbol, 60, None), Options.AttemptTimeout);

        Assert.Same(candles, result);
        _venue.Verify(v => v.GetCandlesAsync(Symbol, 60, It.IsAny<CancellationToken>()), Times.Exactly(4));
        Assert.Equal([(ExchangeOperation.Candles, ExchangeCallOutcome.Success)], _outcomes);
    }

    [Fact]
    public async Task Transient_faults_that_outlast_the_retries_surface_as_a_transient_exchange_exception()
    {
        _venue.SetupSequence(v => v.GetBalanceAsync("USDT", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeException(ExchangeFaultKind.Transient, "503 service unavailable"))
            .ThrowsAsync(new ExchangeException(ExchangeFaultKind.Transient, "503 service unavailable"))
            .ThrowsAsync(new ExchangeException(ExchangeFaultKind.Transient, "503 service unavailable"))
            .ThrowsAsync(new HttpRequestException("connection reset by peer"))
            .ReturnsAsync(new Balance("USDT", 1m));
        var exchange = Resilient();

        var e = await Assert.ThrowsAsync<ExchangeException>(
            () => _clock.DriveAsync(exchange.GetBalanceAsync("USDT", None), Options.AttemptTimeout));

        Assert.Equal(ExchangeFaultKind.Transient, e.Kind);
        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.Contains("connection reset by peer", e.Message);
        Assert.Contains("4 attempts", e.Message);
        _venue.Verify(v => v.GetBalanceAsync("USDT", It.IsAny<CancellationToken>()), Times.Exactly(4));
        Assert.Equal([(ExchangeOperation.Balance, ExchangeCallOutcome.TransientFailure)], _outcomes);
    }

    [Theory]
    [InlineData(ExchangeFaultKind.CredentialsRejected)]
    [InlineData(ExchangeFaultKind.Rejected)]
    public async Task A_rejection_is_not_retried_and_surfaces_with_its_kind(ExchangeFaultKind kind)
    {
        var refused = new ExchangeException(kind, "refused by the venue");
        var request = OrderRequest.Buy(ClientOrderId.For(Connection, Symbol, Start, OrderSide.Buy), Symbol, 100m);
        _venue.Setup(v => v.PlaceOrderAsync(request, It.IsAny<CancellationToken>())).ThrowsAsync(refused);
        var exchange = Resilient();

        var e = await Assert.ThrowsAsync<ExchangeException>(() => exchange.PlaceOrderAsync(request, None));

        Assert.Same(refused, e);
        Assert.Equal(kind, e.Kind);
        _venue.Verify(v => v.PlaceOrderAsync(request, It.IsAny<CancellationToken>()), Times.Once);
        Assert.All(_clock.Scheduled, t => Assert.Equal(Options.AttemptTimeout, t.DueTime)); // no backoff was scheduled
        Assert.Equal(Start, _clock.GetUtcNow());
        Assert.Equal([(ExchangeOperation.PlaceOrder, ExchangeCallOutcome.Rejected)], _outcomes);
    }

    [Fact]
    public async Task A_throttled_call_is_retried_exactly_after_the_venues_retry_after_and_not_before()
    {
        var retryAfter = TimeSpan.FromSeconds(7);
        _venue.SetupSequence(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>()))
            .ThrowsAsync(ExchangeThrottling.Throttled("429 too many requests", retryAfter))
            .ReturnsAsync(SomeQuote);
        var exchange = Resilient(); // jitter on: the venue's delay replaces the backoff

        var call = exchange.GetQuoteAsync(Symbol, None).AsTask();
        await _clock.WaitForTimerAsync(retryAfter);
        Assert.Equal(1, QuoteCalls());

        _clock.Advance(retryAfter - Tick);
        Assert.False(call.IsCompleted);
        Assert.Equal(1, QuoteCalls());

        _clock.Advance(Tick);
        Assert.Equal(SomeQuote, await call.WaitAsync(ExchangeTestClock.RealTimeLimit));
        Assert.Equal(2, QuoteCalls());
        Assert.Equal([retryAfter], _clock.Scheduled.Select(t => t.DueTime).Where(d => d != Options.AttemptTimeout));
        Assert.Equal([(ExchangeOperation.Quote, ExchangeCallOutcome.Success)], _outcomes);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_maximum_is_not_waited_for_and_reaches_the_caller()
    {
        _venue.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>()))
            .ThrowsAsync(ExchangeThrottling.Throttled("418 banned for a minute", TimeSpan.FromSeconds(60)));
        var exchange = Resilient();

        var e = await Assert.ThrowsAsync<ExchangeException>(() => exchange.GetQuoteAsync(Symbol, None).AsTask());

        Assert.Equal(ExchangeFaultKind.Transient, e.Kind);
        Assert.True(e.TryGetRetryAfter(out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(60), retryAfter);
        Assert.Equal(1, QuoteCalls());
        Assert.Equal([(ExchangeOperation.Quote, ExchangeCallOutcome.TransientFailure)], _outcomes);
    }

    [Fact]
    public async Task The_circuit_opens_at_the_threshold_then_fails_fast_and_after_the_break_a_successful_probe_closes_it()
    {
        var circuit = new CircuitBreakerStateProvider();
        var exchange = Resilient(circuit: circuit);
        var attempts = FailingQuotes();

        var openedAt = await OpenCircuitAsync(exchange, attempts);
        Assert.Equal(CircuitState.Open, circuit.CircuitState);

        // Open: not sent, no attempt, no timer, nothing waited for.
        var scheduled = _clock.Scheduled.Count;
        var fast = exchange.GetQuoteAsync(Symbol, None).AsTask();
        Assert.True(fast.IsCompleted, "an open circuit must fail the call at once");
        var e = await Assert.ThrowsAsync<ExchangeException>(() => fast);
        Assert.Equal(ExchangeFaultKind.Transient, e.Kind);
        Assert.Contains("circuit open", e.Message);
        Assert.IsType<BrokenCircuitException>(e.InnerException);
        Assert.Equal(Options.MinimumThroughput, attempts.Count);
        Assert.Equal(scheduled, _clock.Scheduled.Count);

        _clock.SetUtcNow(openedAt + Options.BreakDuration - Tick);
        await Assert.ThrowsAsync<ExchangeException>(() => exchange.GetQuoteAsync(Symbol, None).AsTask());
        Assert.Equal(Options.MinimumThroughput, attempts.Count);

        // Break over: one probe goes to the venue; its success closes the circuit.
        _clock.SetUtcNow(openedAt + Options.BreakDuration);
        _venue.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                attempts.Add(_clock.GetUtcNow());
                return ValueTask.FromResult(SomeQuote);
            });
        Assert.Equal(SomeQuote, await _clock.DriveAsync(exchange.GetQuoteAsync(Symbol, None).AsTask(), Options.AttemptTimeout));
        Assert.Equal(Options.MinimumThroughput + 1, attempts.Count);
        Assert.Equal(CircuitState.Closed, circuit.CircuitState);

        Assert.Equal(SomeQuote, await _clock.DriveAsync(exchange.GetQuoteAsync(Symbol, None).AsTask(), Options.AttemptTimeout));
        Assert.Equal(Options.MinimumThroughput + 2, attempts.Count);
        Assert.Equal(
            [
                ExchangeCallOutcome.TransientFailure, ExchangeCallOutcome.TransientFailure, ExchangeCallOutcome.CircuitOpen,
                ExchangeCallOutcome.CircuitOpen, ExchangeCallOutcome.CircuitOpen, ExchangeCallOutcome.Success, ExchangeCallOutcome.Success,
            ],
            _outcomes.Select(o => o.Outcome));
    }

    [Fact]
    public async Task A_failing_half_open_probe_opens_the_circuit_for_another_break()
    {
        var circuit = new CircuitBreakerStateProvider();
        var exchange = Resilient(circuit: circuit);
        var attempts = FailingQuotes();
        var openedAt = await OpenCircuitAsync(exchange, attempts);

        _clock.SetUtcNow(openedAt + Options.BreakDuration);
        var e = await Assert.ThrowsAsync<ExchangeException>(
            () => _clock.DriveAsync(exchange.GetQuoteAsync(Symbol, None).AsTask(), Options.AttemptTimeout));

        Assert.Contains("circuit open", e.Message); // the probe failed, reopened the circuit, and the retry met it open
        Assert.Equal(Options.MinimumThroughput + 1, attempts.Count);
        Assert.Equal(openedAt + Options.BreakDuration, attempts[^1]);
        Assert.Equal(CircuitState.Open, circuit.CircuitState);

        _clock.SetUtcNow(attempts[^1] + Options.BreakDuration - Tick);
        await Assert.ThrowsAsync<ExchangeException>(() => exchange.GetQuoteAsync(Symbol, None).AsTask());
        Assert.Equal(Options.MinimumThroughput + 1, attempts.Count);
    }

    [Fact]
    public async Task Each_connection_has_one_pipeline_with_its_own_circuit()
    {
        var pipelines = new ExchangeResiliencePipelines(_clock, NullLogger<ExchangeResiliencePipelines>.Instance);
        var options = Options with { MinimumThroughput = 2, MaxRetryAttempts = 1, RetryJitter = false };

        var a = pipelines.For("conn-a", options);
        Assert.Same(a, pipelines.For("conn-a", options with { }));
        var b = pipelines.For("conn-b", options);
        Assert.NotSame(a, b);
        Assert.Null(pipelines.CircuitOf("conn-c"));

        _venue.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeException(ExchangeFaultKind.Transient, "503 service unavailable"));
        var venueB = new Mock<IExchange>(MockBehavior.Strict);
        venueB.SetupGet(v => v.Name).Returns(Venue);
        venueB.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>())).ReturnsAsync(SomeQuote);
        var exchangeA = new ResilientExchange(_venue.Object, a, "conn-a");
        var exchangeB = new ResilientExchange(venueB.Object, b, "conn-b");

        await Assert.ThrowsAsync<ExchangeException>(() => _clock.DriveAsync(exchangeA.GetQuoteAsync(Symbol, None).AsTask(), options.AttemptTimeout));
        Assert.Equal(CircuitState.Open, pipelines.CircuitOf("conn-a"));
        Assert.Equal(CircuitState.Closed, pipelines.CircuitOf("conn-b"));

        var e = await Assert.ThrowsAsync<ExchangeException>(() => exchangeA.GetQuoteAsync(Symbol, None).AsTask());
        Assert.Contains("circuit open for connection 'conn-a'", e.Message);
        Assert.Equal(SomeQuote, await exchangeB.GetQuoteAsync(Symbol, None).AsTask());
        Assert.Equal(2, QuoteCalls());

        // New options (a settings change) give the connection a new pipeline; the same options keep it.
        var changed = pipelines.For("conn-a", options with { AttemptTimeout = TimeSpan.FromSeconds(9) });
        Assert.NotSame(a, changed);
        Assert.Same(changed, pipelines.For("conn-a", options with { AttemptTimeout = TimeSpan.FromSeconds(9) }));
        Assert.Equal(CircuitState.Closed, pipelines.CircuitOf("conn-a"));
        Assert.True(pipelines.Remove("conn-a"));
        Assert.Null(pipelines.CircuitOf("conn-a"));
    }

    [Fact]
    public async Task Every_operation_reaches_the_venue_with_its_arguments_and_returns_its_result()
    {
        var request = OrderRequest.Buy(ClientOrderId.For(Connection, Symbol, Start, OrderSide.Buy), Symbol, 100m);
        var order = new OrderResult(request.ClientOrderId, Symbol, OrderSide.Buy, OrderStatus.Filled, 60_000m, 0.001m, 0.06m, Start, null);
        IReadOnlyList<Candle> candles = [];
        var balance = new Balance("USDT", 42m);
        _venue.Setup(v => v.CheckAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _venue.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>())).ReturnsAsync(SomeQuote);
        _venue.Setup(v => v.GetCandlesAsync(Symbol, 7, It.IsAny<CancellationToken>())).ReturnsAsync(candles);
        _venue.Setup(v => v.PlaceOrderAsync(request, It.IsAny<CancellationToken>())).ReturnsAsync(order);
        _venue.Setup(v => v.GetOrderAsync(Symbol, request.ClientOrderId, It.IsAny<CancellationToken>())).ReturnsAsync((OrderResult?)null);
        _venue.Setup(v => v.CancelOrderAsync(Symbol, request.ClientOrderId, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _venue.Setup(v => v.GetBalanceAsync("USDT", It.IsAny<CancellationToken>())).ReturnsAsync(balance);
        var exchange = Resilient();

        Assert.Equal(Venue, exchange.Name);
        await exchange.CheckAsync(None);
        Assert.Equal(SomeQuote, await exchange.GetQuoteAsync(Symbol, None).AsTask());
        Assert.Same(candles, await exchange.GetCandlesAsync(Symbol, 7, None));
        Assert.Same(order, await exchange.PlaceOrderAsync(request, None));
        Assert.Null(await exchange.GetOrderAsync(Symbol, request.ClientOrderId, None));
        Assert.True(await exchange.CancelOrderAsync(Symbol, request.ClientOrderId, None));
        Assert.Same(balance, await exchange.GetBalanceAsync("USDT", None));

        Assert.Equal(
            [
                ExchangeOperation.Check, ExchangeOperation.Quote, ExchangeOperation.Candles, ExchangeOperation.PlaceOrder,
                ExchangeOperation.GetOrder, ExchangeOperation.CancelOrder, ExchangeOperation.Balance,
            ],
            _outcomes.Select(o => o.Operation));
        Assert.All(_outcomes, o => Assert.Equal(ExchangeCallOutcome.Success, o.Outcome));
        Assert.Equal(Start, _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_throwing_outcome_callback_does_not_change_the_call()
    {
        _venue.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>())).ReturnsAsync(SomeQuote);
        var exchange = new ResilientExchange(_venue.Object, ExchangeResilience.Build(Connection, Options, _clock), Connection,
            (_, _) => throw new InvalidOperationException("metrics are down"));

        Assert.Equal(SomeQuote, await exchange.GetQuoteAsync(Symbol, None).AsTask());
    }

    /// <summary>
    /// Fails every quote until the circuit opens: calls 1 and 2 fail after their 4 attempts each, call 3's second attempt
    /// is the 10th (the minimum throughput, all failed), which opens the circuit, so its retry finds it open.
    /// </summary>
    /// <returns>When the circuit opened: the time of the attempt that opened it.</returns>
    private async Task<DateTimeOffset> OpenCircuitAsync(ResilientExchange exchange, List<DateTimeOffset> attempts)
    {
        for (var call = 1; call <= 2; call++)
        {
            var failed = await Assert.ThrowsAsync<ExchangeException>(
                () => _clock.DriveAsync(exchange.GetQuoteAsync(Symbol, None).AsTask(), Options.AttemptTimeout));
            Assert.Equal("503 service unavailable", failed.Message);
            Assert.Equal(4 * call, attempts.Count);
        }
        var opened = await Assert.ThrowsAsync<ExchangeException>(
            () => _clock.DriveAsync(exchange.GetQuoteAsync(Symbol, None).AsTask(), Options.AttemptTimeout));
        Assert.Equal(ExchangeFaultKind.Transient, opened.Kind);
        Assert.Contains($"circuit open for connection '{Connection}' on {Venue}: quote not sent", opened.Message);
        Assert.Equal(Options.MinimumThroughput, attempts.Count);
        return attempts[^1];
    }

    private List<DateTimeOffset> FailingQuotes()
    {
        var attempts = new List<DateTimeOffset>();
        _venue.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                attempts.Add(_clock.GetUtcNow());
                return ValueTask.FromException<Quote>(new ExchangeException(ExchangeFaultKind.Transient, "503 service unavailable"));
            });
        return attempts;
    }

    private ResilientExchange Resilient(ExchangeResilienceOptions? options = null, CircuitBreakerStateProvider? circuit = null) =>
        new(_venue.Object,
            ExchangeResilience.Build(Connection, options ?? Options, _clock,
                new ExchangeResilienceHooks { Circuit = circuit, Randomizer = new Random(1).NextDouble }),
            Connection,
            (operation, outcome) =>
            {
                lock (_outcomes)
                {
                    _outcomes.Add((operation, outcome));
                }
            });

    private int QuoteCalls() => _venue.Invocations.Count(i => i.Method.Name == nameof(IExchange.GetQuoteAsync));

    /// <summary>A venue call that never answers, but gives up when its token is canceled (as an HTTP call does).</summary>
    private static Task<T> Hang<T>(CancellationToken cancellationToken)
    {
        var never = new TaskCompletionSource<T>();
        cancellationToken.Register(() => never.TrySetCanceled(cancellationToken));
        return never.Task;
    }
}
