using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Processors;
using Cts.Domain.Strategies;
using Cts.Domain.Trading;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Domain.Tests.Processors;

/// <summary>
/// A paper engine's processors wired as the host wires them, on a fake clock, an in-memory venue ledger and an
/// in-memory journal: what one engine run sees, without the host.
/// </summary>
public sealed class TradingRig
{
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 12, 0, 30, TimeSpan.Zero);

    public TradingRig(IStrategy? strategy = null, RiskParameters? risk = null, IExchange? exchange = null, string[]? symbols = null,
        InMemoryTradeJournal? journal = null)
    {
        Time = new FakeTimeProvider(Start);
        Market = new PaperMarket(seed: 42);
        Ledger = new InMemoryPaperLedger();
        Paper = new PaperExchange(Market, Time, Fills, Ledger);
        Journal = journal ?? new InMemoryTradeJournal();
        Exchange = exchange ?? Paper;
        Strategy = strategy ?? StrategyFactory.Create(new StrategyParameters());
        Risk = risk ?? new RiskParameters();
        Symbols = symbols ?? ["BTCUSDT"];
        Context = NewContext(TradingRig.EmptyBook());
    }

    /// <summary>A book with nothing in it: a connection's first activation.</summary>
    public static TradingBook EmptyBook() => new(new TradingSnapshot([], [], new HashSet<string>(), 0m));

    public FakeTimeProvider Time { get; }
    public PaperMarket Market { get; }
    public InMemoryPaperLedger Ledger { get; }
    public PaperExchange Paper { get; }
    public IExchange Exchange { get; }
    public InMemoryTradeJournal Journal { get; }
    public IStrategy Strategy { get; }
    public RiskParameters Risk { get; }
    public string[] Symbols { get; }
    public PaperFillModel Fills { get; } = new();
    public EngineCycleContext Context { get; private set; }

    public IndicationsProcessor Indications => new(Time);
    public StrategiesProcessor Strategies { get; } = new();
    public RealtimeProcessor Realtime { get; } = new();

    /// <summary>A new activation: the book reloaded from the journal, pending intents reconciled, like the host does.</summary>
    public async Task<EngineCycleContext> RestartAsync(IExchange? exchange = null)
    {
        Context = NewContext(new TradingBook(await Journal.LoadAsync(CancellationToken.None)), exchange);
        await Context.Trader.Orders.ReconcileAsync(CancellationToken.None);
        return Context;
    }

    /// <summary>One full cycle of the three processors, as the timers would run them.</summary>
    public async Task CycleAsync()
    {
        await Indications.RunAsync(Context, CancellationToken.None);
        await Strategies.RunAsync(Context, CancellationToken.None);
        await Realtime.RunAsync(Context, CancellationToken.None);
    }

    private EngineCycleContext NewContext(TradingBook book, IExchange? exchange = null)
    {
        var venue = exchange ?? Exchange;
        var orders = new OrderExecutor("conn-1", venue, Journal, book, Time);
        return new EngineCycleContext("conn-1", Symbols, venue, new Trader(Strategy, Risk, book, orders, Fills));
    }
}

/// <summary>A strategy that says what the test tells it to, to drive the processors' own rules.</summary>
public sealed class ScriptedStrategy : IStrategy
{
    public StrategySignal Next { get; set; } = StrategySignal.None("scripted");

    public string Name => "scripted";

    public int WarmupCandles => 2;

    public StrategySignal Evaluate(IReadOnlyList<Candle> closedCandles) => Next;
}
