using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Processors;
using Cts.Domain.Strategies;
using Cts.Domain.Trading;

namespace Cts.Domain.Backtesting;

/// <summary>
/// Steps an engine through a window of history: the engine's own <see cref="IndicationsProcessor"/>,
/// <see cref="StrategiesProcessor"/> and <see cref="RealtimeProcessor"/>, its <see cref="TradingBook"/> and
/// <see cref="OrderExecutor"/>, on the <see cref="PaperExchange"/> with its fill model, driven by a
/// <see cref="SimulatedClock"/> at the instants the engine's timers would fire (<see cref="CycleCadence"/>). No rule of
/// trading is implemented here; this class only decides which ticks to run.
/// </summary>
/// <remarks>
/// <para>Ticks are taken in time order; ticks due at the same instant run indications, strategies, realtime.</para>
/// <para>With <c>skipIdleTicks</c> (the default) ticks that provably cannot change anything are not run:</para>
/// <list type="bullet">
/// <item>an indications tick in a minute whose candles were already read: the candles depend only on the minute
/// (<see cref="IMarketData.RecentCandles"/>), so the context would get equal candles (only the indication's timestamp,
/// which no rule reads, would differ);</item>
/// <item>a strategies tick when neither the candles nor the book (a position opened or closed) changed since the last
/// strategies run: the strategy is a pure function of the candles and the entry gate of the book, so it would decide
/// exactly what it decided then, and whatever it did then is now already done (an entry's id is used);</item>
/// <item>a realtime tick with no open position and no order in flight: it would only note the quotes;</item>
/// <item>with open positions, the realtime ticks of one minute between two runs of the other processors run only at
/// their first and last instant when <see cref="ExitRules"/> triggers at neither: quotes move monotonically within a
/// minute (<see cref="MinutePrices"/>), and for a monotonic bid every exit rule that holds at some tick holds at the
/// first or the last one (stop-loss and take-profit are thresholds on the bid; the trailing stop's high is the larger
/// end's bid), so no tick in between could exit, and marking at both ends leaves the same highest price.</item>
/// </list>
/// <para>Not thread-safe: one caller steps one run.</para>
/// </remarks>
public sealed class BacktestRunner
{
    private readonly BacktestSetup _setup;
    private readonly IMarketData _market;
    private readonly SimulatedClock _clock;
    private readonly InMemoryPaperLedger _ledger;
    private readonly InMemoryTradeJournal _journal = new();
    private readonly EngineCycleContext _context;
    private readonly IndicationsProcessor _indications;
    private readonly StrategiesProcessor _strategies = new();
    private readonly RealtimeProcessor _realtime = new();
    private readonly DateTimeOffset[] _next = new DateTimeOffset[3];
    private readonly List<Position> _closed = [];
    private readonly List<EquityPoint> _equity;
    private readonly TimeSpan _equityStep;
    private readonly bool _skipIdleTicks;

    private long _bookVersion;
    private long _candleGeneration;
    private long _strategiesGeneration = -1;
    private long _strategiesVersion = -1;
    private long? _lastIndicationsMinute;
    private DateTimeOffset? _lastIndicationsAt;
    private int _closedTotal;

    private BacktestRunner(BacktestSetup setup, IMarketData market, BacktestCheckpoint? resume, bool skipIdleTicks)
    {
        _setup = setup;
        _market = market;
        _skipIdleTicks = skipIdleTicks;
        _clock = new SimulatedClock(setup.From);
        _indications = new IndicationsProcessor(_clock);
        _ledger = new InMemoryPaperLedger(setup.StartingBalance, resume?.Balances);
        var exchange = new PaperExchange(market, _clock, setup.Fills, _ledger);
        var book = new TradingBook(new TradingSnapshot(
            resume?.OpenPositions.Select(p => p.ToPosition()).ToList() ?? [],
            [],
            (resume?.RecentClientOrderIds ?? []).ToHashSet(StringComparer.Ordinal),
            resume?.RealizedPnl ?? 0m));
        book.PositionSettled += OnSettled;
        var orders = new OrderExecutor(setup.ConnectionId, exchange, _journal, book, _clock);
        var trader = new Trader(StrategyFactory.Create(setup.Strategy), setup.Risk, book, orders, setup.Fills);
        _context = new EngineCycleContext(setup.ConnectionId, setup.Symbols, exchange, trader);
        _equityStep = setup.EquityStep;
        _equity = resume?.Equity.ToList() ?? [];
        _closedTotal = resume?.ClosedTrades ?? 0;
        TicksRun = resume?.TicksRun ?? 0;
        TicksSkipped = resume?.TicksSkipped ?? 0;
        Completed = resume?.Completed ?? false;
        foreach (var kind in Enum.GetValues<ProcessorKind>())
        {
            _next[(int)kind] = setup.From + setup.Cadence.OffsetOf(kind);
        }
        if (resume is not null)
        {
            (_next[0], _next[1], _next[2]) = (resume.NextIndications, resume.NextStrategies, resume.NextRealtime);
        }
    }

    /// <summary>A run from the start of the window, or resumed from <paramref name="resume"/>.</summary>
    /// <param name="skipIdleTicks">False runs every tick (for proving that skipping changes nothing).</param>
    public static async Task<BacktestRunner> StartAsync(BacktestSetup setup, IMarketData market, BacktestCheckpoint? resume = null,
        bool skipIdleTicks = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(market);
        if (setup.To <= setup.From)
        {
            throw new ArgumentException("the window must end after it starts", nameof(setup));
        }
        var runner = new BacktestRunner(setup, market, resume, skipIdleTicks);
        if (resume?.LastIndicationsAt is { } at)
        {
            // The candles the strategies would still be looking at: read again at the instant they were read.
            await runner.RunIndicationsAsync(at, cancellationToken).ConfigureAwait(false);
            runner.TicksRun--;
        }
        return runner;
    }

    public BacktestSetup Setup => _setup;

    public bool Completed { get; private set; }

    /// <summary>Ticks the processors ran, and ticks skipped because they could not have changed anything.</summary>
    public long TicksRun { get; private set; }

    public long TicksSkipped { get; private set; }

    /// <summary>How far the simulated clock is through the window, 0–1.</summary>
    public double Progress => Completed ? 1.0 : Math.Clamp((Cursor - _setup.From) / (_setup.To - _setup.From), 0, 1);

    /// <summary>The next instant a processor is due (the window's end once completed).</summary>
    public DateTimeOffset Cursor => Completed ? _setup.To : Peek(_next).At;

    public int ClosedTradeCount => _closedTotal;

    public IReadOnlyList<EquityPoint> Equity => _equity;

    public TradingBook Book => _context.Trader.Book;

    /// <summary>The trades closed since the last call, oldest first (the caller stores them).</summary>
    public IReadOnlyList<Position> TakeClosedTrades()
    {
        var taken = _closed.ToList();
        _closed.Clear();
        return taken;
    }

    /// <summary>Runs (or skips) up to <paramref name="maxTicks"/> scheduled ticks; true once the window is done.</summary>
    public async Task<bool> StepAsync(int maxTicks, CancellationToken cancellationToken = default)
    {
        var done = 0;
        while (!Completed && done < maxTicks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (kind, at) = Peek(_next);
            if (at >= _setup.To)
            {
                await FinishAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            Sample(at);
            switch (kind)
            {
                case ProcessorKind.Indications when !_skipIdleTicks || _lastIndicationsMinute != MinutePrices.MinuteOf(at):
                    await RunIndicationsAsync(at, cancellationToken).ConfigureAwait(false);
                    break;
                case ProcessorKind.Strategies when !_skipIdleTicks || StrategiesMayAct:
                    await RunStrategiesAsync(at, cancellationToken).ConfigureAwait(false);
                    break;
                case ProcessorKind.Realtime when !_skipIdleTicks || Book.OpenPositions.Count > 0 || Book.PendingIntents.Count > 0:
                    if (_skipIdleTicks && await TryRunQuietMinuteAsync(at, cancellationToken).ConfigureAwait(false) is var consumed and > 0)
                    {
                        done += consumed;
                        continue;
                    }
                    await RunAsync(_realtime, at, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    TicksSkipped++;
                    break;
            }
            _next[(int)kind] += _setup.Cadence.IntervalOf(kind);
            done++;
        }
        return Completed;
    }

    /// <summary>Runs the whole window to its end.</summary>
    public async Task RunToEndAsync(CancellationToken cancellationToken = default)
    {
        while (!await StepAsync(100_000, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>The state to resume from, taken between ticks.</summary>
    public BacktestCheckpoint Checkpoint()
    {
        var cutoff = (_lastIndicationsAt ?? _setup.From) - TimeSpan.FromDays(1);
        var recent = _journal.Intents
            .Where(i => i.SignalTime is { } t && t >= cutoff)
            .Select(i => i.ClientOrderId)
            .Concat(Book.OpenPositions.Select(p => p.ClientOrderId))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new BacktestCheckpoint(_next[0], _next[1], _next[2], _lastIndicationsAt,
            Book.OpenPositions.Select(PositionRecord.From).OrderBy(p => p.OpenedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList(),
            Book.RealizedPnl, recent, _ledger.Balances, _closedTotal, _equity.ToList(), TicksRun, TicksSkipped, Completed);
    }

    /// <summary>Cash plus what selling every open position at the bid of <paramref name="at"/> would bring.</summary>
    public decimal EquityAt(DateTimeOffset at)
    {
        var cash = _ledger.BalanceAsync(PaperExchange.QuoteAsset, CancellationToken.None).GetAwaiter().GetResult();
        foreach (var position in Book.OpenPositions)
        {
            var bid = _market.QuoteAt(position.Symbol, at).Bid;
            cash += position.UnrealizedPnl(bid, _setup.Fills) + position.EntryCost;
        }
        return cash;
    }

    private bool StrategiesMayAct => _strategiesGeneration != _candleGeneration || _strategiesVersion != _bookVersion;

    private async Task RunIndicationsAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        await RunAsync(_indications, at, cancellationToken).ConfigureAwait(false);
        _lastIndicationsMinute = MinutePrices.MinuteOf(at);
        _lastIndicationsAt = at;
        _candleGeneration++;
    }

    private async Task RunStrategiesAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        // Noted before the run: if this run changes the book, the next tick runs again (a slot freed by one symbol's exit
        // may let an earlier symbol's refused entry through).
        (_strategiesGeneration, _strategiesVersion) = (_candleGeneration, _bookVersion);
        await RunAsync(_strategies, at, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(IProcessor processor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _clock.AdvanceTo(at);
        await processor.RunAsync(_context, cancellationToken).ConfigureAwait(false);
        TicksRun++;
    }

    /// <summary>
    /// From the realtime tick at <paramref name="first"/>: the realtime ticks of the same minute up to the next tick of
    /// another processor that would run. When there are at least three and no exit rule holds at the first or the
    /// last, runs those two and skips the rest; returns how many ticks it consumed (0: nothing done).
    /// </summary>
    private async Task<int> TryRunQuietMinuteAsync(DateTimeOffset first, CancellationToken cancellationToken)
    {
        var minute = MinutePrices.MinuteOf(first);
        var next = (DateTimeOffset[])_next.Clone();
        next[(int)ProcessorKind.Realtime] += _setup.Cadence.RealtimeInterval;
        var between = new List<ProcessorKind>();
        var last = first;
        var realtimeTicks = 1;
        while (true)
        {
            var (kind, at) = Peek(next);
            if (at >= _setup.To || MinutePrices.MinuteOf(at) != minute
                || (kind == ProcessorKind.Indications && _lastIndicationsMinute != minute)
                || (kind == ProcessorKind.Strategies && StrategiesMayAct))
            {
                break;
            }
            if (kind == ProcessorKind.Realtime)
            {
                realtimeTicks++;
                last = at;
            }
            between.Add(kind);
            next[(int)kind] += _setup.Cadence.IntervalOf(kind);
        }
        if (realtimeTicks < 3 || Book.PendingIntents.Count > 0 || AnyExitAt(first, last))
        {
            return 0;
        }
        await RunAsync(_realtime, first, cancellationToken).ConfigureAwait(false);
        _next[(int)ProcessorKind.Realtime] += _setup.Cadence.RealtimeInterval;
        // Everything up to the last realtime tick is skipped; the ticks after it (other processors' skippable ones) are left.
        var consumed = 1;
        var remainingRealtime = realtimeTicks - 1;
        foreach (var kind in between)
        {
            var (_, at) = Peek(_next);
            if (kind == ProcessorKind.Realtime && --remainingRealtime == 0)
            {
                Sample(at);
                await RunAsync(_realtime, at, cancellationToken).ConfigureAwait(false);
                _next[(int)kind] += _setup.Cadence.IntervalOf(kind);
                consumed++;
                break;
            }
            Sample(at);
            TicksSkipped++;
            _next[(int)kind] += _setup.Cadence.IntervalOf(kind);
            consumed++;
        }
        return consumed;
    }

    /// <summary>True when an exit rule holds for some open position at <paramref name="first"/>, or at <paramref name="last"/> after marking at both.</summary>
    private bool AnyExitAt(DateTimeOffset first, DateTimeOffset last)
    {
        foreach (var position in Book.OpenPositions)
        {
            var bidFirst = _market.QuoteAt(position.Symbol, first).Bid;
            var atFirst = position.MarkTo(bidFirst);
            if (ExitRules.Evaluate(atFirst, bidFirst, _setup.Risk) is not null)
            {
                return true;
            }
            var bidLast = _market.QuoteAt(position.Symbol, last).Bid;
            if (ExitRules.Evaluate(atFirst.MarkTo(bidLast), bidLast, _setup.Risk) is not null)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The window's end: open positions are closed as a stop with closePositions closes them, at the end instant.</summary>
    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        Sample(_setup.To);
        _clock.AdvanceTo(_setup.To);
        foreach (var position in Book.OpenPositions.ToList())
        {
            await _context.Trader.Orders.CloseAsync(position, ExitReason.Shutdown, cancellationToken).ConfigureAwait(false);
        }
        _equity.Add(new EquityPoint(_setup.To, EquityAt(_setup.To)));
        Completed = true;
    }

    /// <summary>The equity curve's points due up to <paramref name="at"/> (before any cycle at that instant), within the window.</summary>
    private void Sample(DateTimeOffset at)
    {
        while (true)
        {
            var due = _setup.From + _equityStep * _equity.Count;
            if (due > at || due >= _setup.To)
            {
                return;
            }
            _equity.Add(new EquityPoint(due, EquityAt(due)));
        }
    }

    private void OnSettled(Position position)
    {
        _bookVersion++;
        if (!position.IsOpen)
        {
            _closed.Add(position);
            _closedTotal++;
        }
    }

    private static (ProcessorKind Kind, DateTimeOffset At) Peek(DateTimeOffset[] next)
    {
        var kind = 0;
        for (var k = 1; k < next.Length; k++)
        {
            if (next[k] < next[kind])
            {
                kind = k;
            }
        }
        return ((ProcessorKind)kind, next[kind]);
    }
}
