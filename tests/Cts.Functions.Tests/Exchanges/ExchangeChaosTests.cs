using System.Diagnostics;
using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;
using Cts.Functions.Exchanges;
using Polly;
using Polly.CircuitBreaker;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
using Polly.Simmy.Outcomes;
using Xunit.Abstractions;

namespace Cts.Functions.Tests.Exchanges;

/// <summary>
/// An engine's exchange traffic (candles, quote, every 5th cycle an order, pending orders reconciled first) against the
/// real paper venue, through the connection's resilience pipeline with Polly's chaos strategies inside it, on a fake
/// clock. Every random choice is seeded, so the run is the same every time.
/// </summary>
/// <remarks>
/// Inside the pipeline (innermost, within each attempt), in order: an attempt probe (records each attempt and how it
/// ended), <c>AddChaosLatency</c> (a slow venue; one latency in four is beyond the attempt timeout),
/// <c>AddChaosFault</c> (503, connection reset, 429 with Retry-After 1 s), and, on placing orders,
/// <c>AddChaosOutcome</c>: the venue takes the order but the answer is lost, which is what a retry must not turn into a
/// second trade. Polly offers <c>AddChaosOutcome</c> only on a typed builder, so it runs in a typed pipeline in the
/// venue wrapper the attempt calls: still inside every attempt.
/// </remarks>
public sealed class ExchangeChaosTests(ITestOutputHelper output)
{
    private const string Connection = "conn-chaos";
    private const string Symbol = "BTCUSDT";
    private const int Cycles = 500;
    private const int OrderEvery = 5;
    private const int CandleCount = 60;
    private const double InjectionRate = 0.2;
    private const decimal OrderQuote = 10m;

    private static readonly DateTimeOffset Start = new(2025, 3, 14, 12, 0, 30, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan EngineTick = TimeSpan.FromSeconds(1);

    private readonly ExchangeTestClock _clock = new(Start);
    private readonly InMemoryPaperLedger _ledger = new();
    private readonly Dictionary<string, OrderRequest> _requests = new(StringComparer.Ordinal);
    private readonly List<string> _pending = [];
    private readonly Dictionary<string, OrderResult> _settled = new(StringComparer.Ordinal);
    private readonly List<Exception> _leaked = [];
    private readonly List<(string Operation, string Outcome)> _outcomes = [];
    private ExchangeResilienceOptions _options = ExchangeResilienceOptions.Defaults;
    private ChaosJournal _journal = null!;
    private ResilientExchange _exchange = null!;

    /// <param name="breakerCanTrip">
    /// True: the production options, whose breaker (0.5 over 30 s, at least 10 attempts) does open now and then under
    /// this much chaos, and fails cycles fast while open. False: the same, but with a breaker that cannot reach its
    /// minimum throughput, to see retries and timeouts alone.
    /// </param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Five_hundred_cycles_under_chaos_fail_exactly_when_injected_faults_exhaust_the_retries_and_never_trade_twice(
        bool breakerCanTrip)
    {
        var wall = Stopwatch.StartNew();
        _options = breakerCanTrip ? ExchangeResilienceOptions.Defaults : ExchangeResilienceOptions.Defaults with { MinimumThroughput = int.MaxValue };
        _journal = new ChaosJournal(_options, _clock);
        var paper = new PaperExchange(new PaperMarket(42), _clock, new PaperFillModel(), _ledger);
        var circuit = new CircuitBreakerStateProvider();
        var pipeline = ExchangeResilience.Build(Connection, _options, _clock, new ExchangeResilienceHooks
        {
            Circuit = circuit,
            OnCircuitChanged = _journal.CircuitChanged,
            Innermost = _journal.AddChaos,
            Randomizer = new Random(1).NextDouble,
        });
        _exchange = new ResilientExchange(new LostResponseVenue(paper, _journal), pipeline, Connection,
            (operation, outcome) => _outcomes.Add((operation, outcome)));

        var failedCycles = new List<int>();
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            if (!await CycleAsync(cycle))
            {
                failedCycles.Add(cycle);
            }
            _clock.Advance(EngineTick); // the engine's timer: the next cycle a second later
        }
        var calls = _journal.Calls;
        var attempts = calls.SelectMany(c => c.Attempts).ToList();
        var summary = _journal.Summary(failedCycles.Count, wall.Elapsed);
        output.WriteLine(summary);

        // Nothing but ExchangeException ever reached the engine, and every failure was a transient one.
        Assert.Empty(_leaked);
        Assert.All(calls.Where(c => c.Error is not null),
            c => Assert.Equal(ExchangeFaultKind.Transient, Assert.IsType<ExchangeException>(c.Error).Kind));

        // Each attempt failed if and only if chaos failed it: the pipeline never lost an attempt that chaos spared, and
        // no injected fault slipped through as a success.
        Assert.All(attempts, a => Assert.Equal(a.Failed, a.Error is not null));

        // The breaker opened only on an injected failure, and let a probe through only once its break was over.
        Assert.All(_journal.Breaks, b => Assert.True(b.OpenedBy.Failed, $"the circuit opened at {b.OpenedAt} on an attempt chaos spared"));
        Assert.All(_journal.Breaks.Where(b => b.ProbedAt is not null),
            b => Assert.True(b.ProbedAt - b.OpenedAt >= _options.BreakDuration, $"probe at {b.ProbedAt} for a break from {b.OpenedAt}"));

        // A call failed if and only if injected faults took every one of its 1 + 3 attempts, or failed every attempt it
        // made before the circuit (opened by injected faults) refused the next. A call that succeeded was retried only
        // after injected faults.
        var exhausted = calls.Where(c => c.Attempts.Count == _options.MaxRetryAttempts + 1 && c.Attempts.All(a => a.Failed)).ToList();
        var refused = calls.Where(c => c.RefusedWhileOpen && c.Attempts.All(a => a.Failed)).ToList();
        var expectedFailures = calls.Where(c => exhausted.Contains(c) || refused.Contains(c)).ToList();
        Assert.Equal(expectedFailures, calls.Where(c => c.Error is not null));
        Assert.All(calls.Where(c => c.Error is null), c =>
        {
            Assert.False(c.Attempts[^1].Failed);
            Assert.All(c.Attempts.SkipLast(1), a => Assert.True(a.Failed));
        });

        // A cycle failed if and only if one of its calls did.
        Assert.Equal(expectedFailures.Select(c => c.Cycle).Distinct().Order(), failedCycles);
        if (breakerCanTrip)
        {
            Assert.NotEmpty(_journal.Breaks);
            Assert.NotEmpty(refused);
        }
        else
        {
            // Without the breaker in play: the failed cycles are exactly those whose injected faults exhausted the retries.
            Assert.Empty(_journal.Breaks);
            Assert.Empty(refused);
            Assert.Equal(exhausted.Select(c => c.Cycle).Distinct().Order(), failedCycles);
        }

        // One outcome per call, in agreement with what chaos did.
        Assert.Equal(calls.Count, _outcomes.Count);
        Assert.Equal(expectedFailures.Count, _outcomes.Count(o => o.Outcome != ExchangeCallOutcome.Success));
        Assert.Equal(refused.Count, _outcomes.Count(o => o.Outcome == ExchangeCallOutcome.CircuitOpen));
        Assert.Equal(exhausted.Count(c => c.Attempts[^1].Injected.Contains(ChaosJournal.LatencyBeyondTimeout)),
            _outcomes.Count(o => o.Outcome == ExchangeCallOutcome.Timeout));

        // The chaos really happened, of every kind, and exercised the paths this test is about.
        Assert.True(_journal.Faults > 100, summary);
        Assert.True(_journal.LatenciesWithinTimeout > 20, summary);
        Assert.True(attempts.Count(a => a.Injected.Contains(ChaosJournal.LatencyBeyondTimeout)) > 5, summary);
        Assert.True(attempts.Count(a => a.Injected.Contains(ChaosJournal.LostResponse)) > 5, summary);
        Assert.NotEmpty(exhausted);
        Assert.InRange(failedCycles.Count, 1, Cycles / 4);
        // An order whose answer was lost, retried with the same client order id and answered with that same order.
        Assert.Contains(calls, c => c.Operation == ExchangeOperation.PlaceOrder && c.Error is null
            && c.Attempts.Any(a => a.Injected.Contains(ChaosJournal.LostResponse)));

        // Orders: settle what failed cycles left pending, with chaos off, once any break is over (the engine's next
        // cycles would).
        _journal.Enabled = false;
        _clock.Advance(_options.BreakDuration);
        await CallAsync(Cycles, ExchangeOperation.Quote, () => _exchange.GetQuoteAsync(Symbol, None).AsTask());
        await ReconcileAsync(Cycles);
        Assert.Equal(CircuitState.Closed, circuit.CircuitState);
        Assert.Empty(_pending);
        // Every order cycle sent its order, unless the cycle failed before getting there.
        Assert.InRange(_requests.Count, Cycles / OrderEvery - failedCycles.Count, Cycles / OrderEvery);
        Assert.Equal(_requests.Keys.Order(), _settled.Keys.Order());

        // Exactly one order per client order id, the one every successful call returned: no retry traded twice.
        Assert.Equal(_settled.Count, _ledger.OrderCount);
        foreach (var (id, result) in _settled)
        {
            Assert.Equal(OrderStatus.Filled, result.Status);
            Assert.Equal(result, await _ledger.FindAsync(id, None));
        }
        var spent = _settled.Values.Sum(o => o.Notional + o.Fee);
        Assert.Equal(_ledger.StartingQuoteBalance - spent, await _ledger.BalanceAsync(PaperExchange.QuoteAsset, None));
        Assert.Equal(_settled.Values.Sum(o => o.Quantity), await _ledger.BalanceAsync("BTC", None));
    }

    /// <summary>One engine cycle's exchange calls; false when a call failed (the engine would count a failed cycle).</summary>
    private async Task<bool> CycleAsync(int cycle)
    {
        try
        {
            await ReconcileAsync(cycle);
            await CallAsync(cycle, ExchangeOperation.Candles, () => _exchange.GetCandlesAsync(Symbol, CandleCount, None));
            await CallAsync(cycle, ExchangeOperation.Quote, () => _exchange.GetQuoteAsync(Symbol, None).AsTask());
            if (cycle % OrderEvery == 0)
            {
                var id = ClientOrderId.For(Connection, Symbol, Start.AddMinutes(cycle), OrderSide.Buy);
                var request = OrderRequest.Buy(id, Symbol, OrderQuote);
                _requests.Add(id, request);
                _pending.Add(id); // as the executor journals the intent before sending
                Settle(id, await CallAsync(cycle, ExchangeOperation.PlaceOrder, () => _exchange.PlaceOrderAsync(request, None)));
            }
            return true;
        }
        catch (ExchangeException)
        {
            return false;
        }
        catch (Exception e)
        {
            _leaked.Add(e);
            return false;
        }
    }

    /// <summary>What <see cref="OrderExecutor.ReconcileAsync"/> does: ask the venue by client order id, re-send if unknown.</summary>
    private async Task ReconcileAsync(int cycle)
    {
        foreach (var id in _pending.ToList())
        {
            var known = await CallAsync(cycle, ExchangeOperation.GetOrder, () => _exchange.GetOrderAsync(Symbol, id, None));
            Settle(id, known ?? await CallAsync(cycle, ExchangeOperation.PlaceOrder, () => _exchange.PlaceOrderAsync(_requests[id], None)));
        }
    }

    private void Settle(string id, OrderResult result)
    {
        Assert.Equal(id, result.ClientOrderId);
        Assert.True(_settled.TryAdd(id, result), $"order {id} settled twice");
        _pending.Remove(id);
    }

    private async Task<T> CallAsync<T>(int cycle, string operation, Func<Task<T>> call)
    {
        var record = _journal.BeginCall(cycle, operation);
        try
        {
            var result = await _clock.DriveAsync(call(), _options.AttemptTimeout);
            _journal.EndCall(record, null);
            return result;
        }
        catch (Exception e)
        {
            _journal.EndCall(record, e);
            throw;
        }
    }

    /// <summary>What chaos did to each call, attempt by attempt; calls run one at a time, as an engine's do.</summary>
    private sealed class ChaosJournal(ExchangeResilienceOptions options, TimeProvider clock)
    {
        public const string LatencyBeyondTimeout = "latency beyond the attempt timeout";
        public const string LostResponse = "response lost after the venue took the order";

        private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

        private readonly Lock _gate = new();
        private readonly List<CallRecord> _calls = [];
        private readonly List<CircuitBreak> _breaks = [];
        // Separate seeded sources: whether to inject (one per strategy), and what to inject.
        private readonly Random _latencyRate = new(11);
        private readonly Random _faultRate = new(12);
        private readonly Random _outcomeRate = new(13);
        private readonly Random _what = new(14);
        private CallRecord? _call;
        private AttemptRecord? _attempt;
        private AttemptRecord? _lastAttempt;
        private bool _circuitOpen;

        public bool Enabled { get; set; } = true;
        public int Faults { get; private set; }
        public int LatenciesWithinTimeout { get; private set; }

        /// <summary>Each time the circuit opened: when, on which attempt, and when it next let a probe through.</summary>
        public IReadOnlyList<CircuitBreak> Breaks
        {
            get
            {
                lock (_gate)
                {
                    return [.. _breaks];
                }
            }
        }

        public IReadOnlyList<CallRecord> Calls
        {
            get
            {
                lock (_gate)
                {
                    return [.. _calls];
                }
            }
        }

        /// <summary>The strategies placed innermost in the connection's pipeline: inside the attempt timeout.</summary>
        public void AddChaos(ResiliencePipelineBuilder builder) => builder
            .AddStrategy(_ => new AttemptProbe(this))
            .AddChaosLatency(new ChaosLatencyStrategyOptions
            {
                InjectionRate = InjectionRate,
                Randomizer = _latencyRate.NextDouble,
                EnabledGenerator = _ => ValueTask.FromResult(Enabled),
                LatencyGenerator = _ => ValueTask.FromResult(NextLatency()),
            })
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = InjectionRate,
                Randomizer = _faultRate.NextDouble,
                EnabledGenerator = _ => ValueTask.FromResult(Enabled),
                FaultGenerator = _ => ValueTask.FromResult<Exception?>(NextFault()),
                OnFaultInjected = args =>
                {
                    Inject("fault: " + args.Fault.GetType().Name);
                    return default;
                },
            });

        /// <summary>The lost-response chaos for placing orders, which needs a typed pipeline.</summary>
        public ResiliencePipeline<OrderResult> LostResponses(Func<ResilienceContext, ValueTask> placeForReal) =>
            new ResiliencePipelineBuilder<OrderResult>()
                .AddChaosOutcome(new ChaosOutcomeStrategyOptions<OrderResult>
                {
                    InjectionRate = InjectionRate,
                    Randomizer = _outcomeRate.NextDouble,
                    EnabledGenerator = _ => ValueTask.FromResult(Enabled),
                    OutcomeGenerator = async args =>
                    {
                        await placeForReal(args.Context);
                        return Outcome.FromException<OrderResult>(
                            new ExchangeException(ExchangeFaultKind.Transient, "chaos: connection dropped before the answer"));
                    },
                    OnOutcomeInjected = _ =>
                    {
                        Inject(LostResponse);
                        return default;
                    },
                })
                .Build();

        public CallRecord BeginCall(int cycle, string operation)
        {
            lock (_gate)
            {
                _call = new CallRecord(cycle, operation);
                _calls.Add(_call);
                return _call;
            }
        }

        public void BeginAttempt()
        {
            lock (_gate)
            {
                _attempt = new AttemptRecord();
                _call!.Attempts.Add(_attempt);
            }
        }

        public void EndAttempt(Exception? error)
        {
            lock (_gate)
            {
                _attempt!.Error = error;
                _lastAttempt = _attempt;
                _attempt = null;
            }
        }

        public void EndCall(CallRecord call, Exception? error)
        {
            lock (_gate)
            {
                call.Error = error;
                call.RefusedWhileOpen = error?.InnerException is BrokenCircuitException && _circuitOpen;
            }
        }

        /// <summary>The pipeline's breaker reporting a change (it runs within the call that caused it).</summary>
        public void CircuitChanged(CircuitState state)
        {
            lock (_gate)
            {
                switch (state)
                {
                    case CircuitState.Open:
                        _breaks.Add(new CircuitBreak(clock.GetUtcNow(), _lastAttempt!));
                        _circuitOpen = true;
                        break;
                    case CircuitState.HalfOpen:
                        _breaks[^1].ProbedAt = clock.GetUtcNow();
                        _circuitOpen = false;
                        break;
                    default:
                        _circuitOpen = false;
                        break;
                }
            }
        }

        public string Summary(int failedCycles, TimeSpan wall)
        {
            lock (_gate)
            {
                var attempts = _calls.SelectMany(c => c.Attempts).ToList();
                return $"{Cycles} cycles, {failedCycles} failed, {_breaks.Count} circuit breaks; {_calls.Count} calls, {attempts.Count} attempts, "
                    + $"{_calls.Count(c => c.Error is not null)} calls failed; injected: {Faults} faults, "
                    + $"{attempts.Count(a => a.Injected.Contains(LatencyBeyondTimeout))} timeouts, "
                    + $"{LatenciesWithinTimeout} latencies within the bound, "
                    + $"{attempts.Count(a => a.Injected.Contains(LostResponse))} lost responses; wall time {wall.TotalSeconds:0.00} s";
            }
        }

        private void Inject(string what)
        {
            lock (_gate)
            {
                _attempt!.Injected.Add(what);
                if (what.StartsWith("fault", StringComparison.Ordinal))
                {
                    Faults++;
                }
            }
        }

        // Recorded here rather than in OnLatencyInjected, which Polly calls only once the delay has elapsed: a latency
        // the timeout cuts short never gets there.
        private TimeSpan NextLatency()
        {
            lock (_gate)
            {
                if (_what.Next(4) == 0)
                {
                    _attempt!.Injected.Add(LatencyBeyondTimeout);
                    return options.AttemptTimeout + TimeSpan.FromSeconds(1);
                }
                LatenciesWithinTimeout++;
                return TimeSpan.FromMilliseconds(50 + _what.Next(1450));
            }
        }

        private Exception NextFault()
        {
            lock (_gate)
            {
                return _what.Next(4) switch
                {
                    0 or 1 => new ExchangeException(ExchangeFaultKind.Transient, "chaos: 503 service unavailable"),
                    2 => new HttpRequestException("chaos: connection reset by peer"),
                    _ => ExchangeThrottling.Throttled("chaos: 429 too many requests", RetryAfter),
                };
            }
        }
    }

    private sealed class CallRecord(int cycle, string operation)
    {
        public int Cycle { get; } = cycle;
        public string Operation { get; } = operation;
        public List<AttemptRecord> Attempts { get; } = [];
        public Exception? Error { get; set; }

        /// <summary>The call ended refused by the breaker, which was open at that moment.</summary>
        public bool RefusedWhileOpen { get; set; }

        public override string ToString() =>
            $"cycle {Cycle} {Operation}: {string.Join(" | ", Attempts.Select(a => string.Join("+", a.Injected) is { Length: > 0 } i ? i : "ok"))} → {Error?.Message ?? "ok"}";
    }

    private sealed class AttemptRecord
    {
        /// <summary>The injections that fail the attempt (a latency within the bound is not one).</summary>
        public List<string> Injected { get; } = [];
        public Exception? Error { get; set; }

        /// <summary>Chaos failed this attempt.</summary>
        public bool Failed => Injected.Count > 0;
    }

    private sealed class CircuitBreak(DateTimeOffset openedAt, AttemptRecord openedBy)
    {
        public DateTimeOffset OpenedAt { get; } = openedAt;
        public AttemptRecord OpenedBy { get; } = openedBy;
        public DateTimeOffset? ProbedAt { get; set; }
    }

    /// <summary>Records each attempt that passes the attempt timeout, and how it ended.</summary>
    private sealed class AttemptProbe(ChaosJournal journal) : ResilienceStrategy
    {
        protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
        {
            journal.BeginAttempt();
            var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
            journal.EndAttempt(outcome.Exception);
            return outcome;
        }
    }

    /// <summary>The paper venue, whose order answers chaos may lose after the order was taken.</summary>
    private sealed class LostResponseVenue : IExchange
    {
        private static readonly ResiliencePropertyKey<OrderRequest> RequestKey = new("chaos.order-request");

        private readonly IExchange _venue;
        private readonly ResiliencePipeline<OrderResult> _lostResponses;

        public LostResponseVenue(IExchange venue, ChaosJournal journal)
        {
            _venue = venue;
            _lostResponses = journal.LostResponses(async context =>
                await venue.PlaceOrderAsync(context.Properties.GetValue(RequestKey, null!), context.CancellationToken));
        }

        public string Name => _venue.Name;

        public Task CheckAsync(CancellationToken cancellationToken) => _venue.CheckAsync(cancellationToken);

        public ValueTask<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken) =>
            _venue.GetQuoteAsync(symbol, cancellationToken);

        public Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken) =>
            _venue.GetCandlesAsync(symbol, count, cancellationToken);

        public async Task<OrderResult> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(RequestKey, request);
            try
            {
                return await _lostResponses.ExecuteAsync(
                    static async (ctx, state) => await state._venue.PlaceOrderAsync(state.request, ctx.CancellationToken),
                    context, (_venue, request));
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        public Task<OrderResult?> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) =>
            _venue.GetOrderAsync(symbol, clientOrderId, cancellationToken);

        public Task<bool> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) =>
            _venue.CancelOrderAsync(symbol, clientOrderId, cancellationToken);

        public Task<Balance> GetBalanceAsync(string asset, CancellationToken cancellationToken) =>
            _venue.GetBalanceAsync(asset, cancellationToken);
    }
}
