using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;

namespace Cts.Domain.Processors;

/// <summary>
/// What an engine's processors share between cycles: the connection's symbols and exchange, whether entries are
/// paused, the latest candles, indications and marks, and the <see cref="Trader"/>. Lives as long as the engine's
/// activation; the durable facts (lifecycle, positions, intents) are persisted by the engine and its journal.
/// </summary>
public sealed class EngineCycleContext(string connectionId, IReadOnlyList<string> symbols, IExchange exchange, Trader trader)
{
    public string ConnectionId { get; } = connectionId;
    public IReadOnlyList<string> Symbols { get; } = symbols;
    public IExchange Exchange { get; } = exchange;
    public Trader Trader { get; } = trader;

    /// <summary>True while the engine is Paused: no new entries, open positions still managed.</summary>
    public bool EntriesPaused { get; set; }

    /// <summary>
    /// False while the engine cannot persist (storage outage): no new positions are opened, because an order whose
    /// intent cannot be recorded first must not be sent. Exits still run; they protect capital.
    /// </summary>
    public bool CanPersist { get; set; } = true;

    /// <summary>
    /// True while the engine's node is bringing engines back after a restart: their open positions go unwatched until
    /// they are back, and storage serves them first, so no new position is opened meanwhile. Exits still run.
    /// </summary>
    public bool EntriesHeld { get; set; }

    /// <summary>Told of each strategy entry skipped because storage could not take its intent in time (nothing was sent).</summary>
    public Action<EntrySkippedException>? EntrySkipped { get; set; }

    public Dictionary<string, IReadOnlyList<Candle>> Candles { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Indication> Indications { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Quote> Marks { get; } = new(StringComparer.Ordinal);
}
