using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Processors;
using Cts.Domain.Strategies;
using Cts.Domain.Trading;
using Cts.Functions.Engines;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Engines;

/// <summary>
/// When an engine's health flush writes: a failed cycle, or a failing processor that succeeds again, at the next flush;
/// health that only counted successful cycles once the routine period has passed since the last write.
/// </summary>
public sealed class EngineCyclesFlushTests
{
    private static readonly TimeSpan Routine = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SwitchedProcessor _realtime = new();
    private readonly EngineCycles _cycles;
    private readonly EngineCycleContext _context;

    public EngineCyclesFlushTests()
    {
        _cycles = new EngineCycles([_realtime], _time, TimeSpan.FromSeconds(10));
        var exchange = new PaperExchange(new PaperMarket(42), _time, new PaperFillModel(), new InMemoryPaperLedger(10_000m));
        var journal = new InMemoryTradeJournal();
        var book = new TradingBook(journal.LoadAsync(CancellationToken.None).GetAwaiter().GetResult());
        var orders = new OrderExecutor("conn-1", exchange, journal, book, _time);
        var trader = new Trader(StrategyFactory.Create(new StrategyParameters()), new RiskParameters(), book, orders, new PaperFillModel());
        _context = new EngineCycleContext("conn-1", ["BTCUSDT"], exchange, trader);
    }

    [Fact]
    public async Task Successful_cycles_are_written_only_once_the_routine_period_has_passed()
    {
        await RunAsync(succeed: true);
        _time.Advance(Routine - TimeSpan.FromSeconds(1));
        await RunAsync(succeed: true);

        Assert.True(_cycles.HealthDirty);
        Assert.False(_cycles.HealthFlushDue(Routine));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_cycles.HealthFlushDue(Routine));

        _cycles.MarkFlushed();
        Assert.False(_cycles.HealthFlushDue(Routine));
        _time.Advance(Routine);
        Assert.False(_cycles.HealthFlushDue(Routine)); // nothing ran since the write
    }

    [Fact]
    public async Task A_failed_cycle_is_due_at_the_next_flush()
    {
        await RunAsync(succeed: true);
        _cycles.MarkFlushed();

        await RunAsync(succeed: false);

        Assert.True(_cycles.HealthChangedNotably);
        Assert.True(_cycles.HealthFlushDue(Routine));
        _cycles.MarkFlushed();
        Assert.False(_cycles.HealthFlushDue(Routine));
    }

    [Fact]
    public async Task A_failing_processor_that_succeeds_again_is_due_at_the_next_flush_and_then_routine_again()
    {
        await RunAsync(succeed: false);
        _cycles.MarkFlushed();

        await RunAsync(succeed: true); // the recovery: consecutive failures back to 0
        Assert.True(_cycles.HealthFlushDue(Routine));
        _cycles.MarkFlushed();

        await RunAsync(succeed: true);
        Assert.False(_cycles.HealthFlushDue(Routine));
    }

    private async Task RunAsync(bool succeed)
    {
        _realtime.Succeed = succeed;
        var (_, failure) = await _cycles.RunAsync(ProcessorKind.Realtime, _context, CancellationToken.None);
        Assert.Equal(succeed, failure is null);
    }

    /// <summary>A realtime processor that succeeds or fails as the test says.</summary>
    private sealed class SwitchedProcessor : IProcessor
    {
        public bool Succeed { get; set; } = true;

        public ProcessorKind Kind => ProcessorKind.Realtime;

        public Task RunAsync(EngineCycleContext context, CancellationToken cancellationToken) =>
            Succeed ? Task.CompletedTask : Task.FromException(new InvalidOperationException("venue down"));
    }
}
