using Cts.Domain.Exchanges;
using Cts.Domain.Market;

namespace Cts.Domain.Processors;

/// <summary>
/// What an engine's processors share between cycles: the connection's symbols and exchange, whether entries are
/// paused, and the latest indications and marks. Lives as long as the engine's activation; the durable facts
/// (lifecycle, positions) are persisted by the engine, not here.
/// </summary>
public sealed class EngineCycleContext(string connectionId, IReadOnlyList<string> symbols, IExchange exchange)
{
    public string ConnectionId { get; } = connectionId;
    public IReadOnlyList<string> Symbols { get; } = symbols;
    public IExchange Exchange { get; } = exchange;

    /// <summary>True while the engine is Paused: no new entries, open positions still managed.</summary>
    public bool EntriesPaused { get; set; }

    public Dictionary<string, Indication> Indications { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Quote> Marks { get; } = new(StringComparer.Ordinal);
}
