using Cts.Domain.Backtesting;
using Cts.Domain.Market;
using Cts.Functions.Engines;
using Cts.Functions.Storage;

namespace Cts.Functions.Backtests;

/// <summary>The body of <c>GET /api/backtests/{id}/candles</c>: one symbol's candles over the window as bars, with the trades' entries and exits.</summary>
/// <param name="Interval">The bars' length ("1m", "15m", "6h"); <paramref name="IntervalMinutes"/> the same in minutes.</param>
public sealed record BacktestChartView(string Id, string Symbol, string DataSource, DateTimeOffset From, DateTimeOffset To, string Interval,
    int IntervalMinutes, IReadOnlyList<CandleView> Candles, IReadOnlyList<ChartMarker> Markers);

/// <summary>
/// The chart of one symbol of a backtest: the candles of its own data source over its window — the seeded paper market
/// (<see cref="PaperMarket.CandleAt"/>, the code the backtest ran on) or the imported candles (<see cref="CandleStore"/>,
/// read an hour at a time) — folded into bars (<see cref="CandleBars"/>: at most 2,000), and each trade's entry and exit
/// pinned to its bar. A running backtest shows the trades closed so far. Read-only.
/// </summary>
/// <remarks>
/// A year of paper candles takes a couple of seconds to compute, and a completed backtest's chart never changes: the
/// last <see cref="CachedCharts"/> charts of completed backtests are kept in memory. The record is read on every request
/// first, so a deleted backtest is a 404, never a cached chart.
/// </remarks>
public sealed class BacktestChartService(BacktestStore store, CandleStore candles)
{
    private const int CachedCharts = 32;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Id, string Symbol, int MaxBars), BacktestChartView> _completed = new();

    public async Task<(ChartOutcome Outcome, BacktestChartView? Chart)> GetAsync(string id, string symbol, int maxBars,
        CancellationToken cancellationToken = default)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } record)
        {
            return (ChartOutcome.NotFound, null);
        }
        var spec = record.Spec;
        if (!spec.Symbols.Contains(symbol, StringComparer.Ordinal))
        {
            return (ChartOutcome.UnknownSymbol, null);
        }
        if (record.Status == BacktestStatus.Completed && _completed.TryGetValue((id, symbol, maxBars), out var cached))
        {
            return (ChartOutcome.Ok, cached);
        }
        var bars = new CandleBars(spec.From, spec.To, CandleBars.IntervalFor(spec.From, spec.To, maxBars));
        if (spec.DataSource == BacktestDataSources.Imported)
        {
            await foreach (var candle in candles.ReadAsync(symbol, spec.From, spec.To, cancellationToken))
            {
                bars.Add(candle);
            }
        }
        else
        {
            var market = new PaperMarket(spec.Seed);
            for (var at = spec.From; at < spec.To; at = at.AddMinutes(1))
            {
                bars.Add(market.CandleAt(symbol, at));
            }
        }
        var trades = await store.TradesAsync(id, record.Trades, cancellationToken);
        var markers = new List<ChartMarker>();
        foreach (var p in trades.Where(t => t.Symbol == symbol).Select(t => t.ToPosition()))
        {
            markers.Add(new ChartMarker(bars.BarOf(p.OpenedAt), p.OpenedAt, "entry", p.EntryPrice, p.Id, null, null));
            if (p.ClosedAt is { } closed && p.ExitPrice is { } exit)
            {
                markers.Add(new ChartMarker(bars.BarOf(closed), closed, "exit", exit, p.Id,
                    p.ExitReason is { } reason ? ExitReasonNames.ToWire(reason) : null, p.RealizedPnl));
            }
        }
        var chart = new BacktestChartView(id, symbol, spec.DataSource, spec.From, spec.To, CandleBars.Name(bars.IntervalMinutes),
            bars.IntervalMinutes, bars.Bars.Select(CandleView.From).ToList(),
            markers.OrderBy(m => m.At).ThenBy(m => m.Kind == "entry" ? 1 : 0).ToList());
        if (record.Status == BacktestStatus.Completed)
        {
            if (_completed.Count >= CachedCharts)
            {
                _completed.Clear(); // crude, but bounded: charts are cheap to make again
            }
            _completed[(id, symbol, maxBars)] = chart;
        }
        return (ChartOutcome.Ok, chart);
    }
}
