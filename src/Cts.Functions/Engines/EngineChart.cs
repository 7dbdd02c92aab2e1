using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Strategies;
using Cts.Domain.Trading;
using Cts.Functions.Exchanges;
using Cts.Functions.Storage;

namespace Cts.Functions.Engines;

/// <summary>
/// The chart of one engine's symbol (<c>GET /api/engines/{id}/candles</c>): the connection's venue candles, the
/// preset's indicator lines computed by the domain's own indicator code, and the engine's entries and exits as
/// markers. Read-only: it asks the venue through the connection's resilience pipeline and never touches the engine.
/// </summary>
public sealed class EngineChartService(
    ConnectionStore connections, PresetStore presets, SettingsStore settings, IExchangeFactory exchanges, PositionStore positions)
{
    public const int DefaultLimit = 120;
    public const int MaxLimit = 500;

    /// <summary>At most this many candles are asked of the venue (Binance caps one request at 1000).</summary>
    private const int MaxFetch = 1000;

    /// <summary>
    /// The chart, or null when the connection does not exist; <see cref="ChartOutcome.UnknownSymbol"/> when the connection
    /// does not trade <paramref name="symbol"/>. Throws <see cref="ExchangeException"/> when the venue cannot answer.
    /// </summary>
    public async Task<(ChartOutcome Outcome, EngineChartView? Chart)> GetAsync(string connectionId, string symbol, int limit,
        CancellationToken cancellationToken)
    {
        var connection = (await connections.GetAsync(connectionId, cancellationToken))?.Value;
        if (connection is null)
        {
            return (ChartOutcome.NotFound, null);
        }
        if (!connection.Symbols.Contains(symbol, StringComparer.Ordinal))
        {
            return (ChartOutcome.UnknownSymbol, null);
        }
        var preset = await presets.ResolveAsync(connection.PresetId, cancellationToken) ?? Domain.Config.Preset.Default;
        var parameters = preset.ToStrategyParameters();
        // Indicators need history before the first candle shown, or the lines would start late and warm up on screen.
        var warmup = 3 * Math.Max(parameters.EmaSlow, parameters.RsiPeriod + 1);
        var exchange = exchanges.Create(connection, await settings.CurrentAsync(cancellationToken));
        var fetched = await exchange.GetCandlesAsync(symbol, Math.Min(MaxFetch, limit + warmup), cancellationToken);
        var shown = fetched.Skip(Math.Max(0, fetched.Count - limit)).ToList();
        var from = shown.Count > 0 ? shown[0].OpenTime : DateTimeOffset.MaxValue;
        var lines = StrategyIndicators.Compute(parameters, fetched)
            .Select(l => l with { Points = l.Points.Where(p => p.Time >= from).ToList() })
            .ToList();
        var candles = shown.Select(CandleView.From).ToList();
        if (shown.Count > 0)
        {
            // The minute in progress, from the venue's quote: where the newest entries and exits happen.
            var quote = await exchange.GetQuoteAsync(symbol, cancellationToken);
            var last = shown[^1];
            candles.Add(new CandleView(last.OpenTime.AddMinutes(1), last.Close, Math.Max(last.Close, quote.Mid), Math.Min(last.Close, quote.Mid),
                quote.Mid, 0m, Forming: true));
        }
        var markers = Markers(await positions.QueryAsync(connectionId, null, 1000, cancellationToken), symbol, candles);
        return (ChartOutcome.Ok, new EngineChartView(connectionId, symbol, "1m", preset.Id, preset.Strategy, candles, lines, markers));
    }

    /// <summary>Entries and exits of <paramref name="symbol"/> within the candles' span, each pinned to its candle, oldest first.</summary>
    private static List<ChartMarker> Markers(IReadOnlyList<Position> all, string symbol, IReadOnlyList<CandleView> candles)
    {
        if (candles.Count == 0)
        {
            return [];
        }
        var first = candles[0].Time;
        var end = candles[^1].Time.AddMinutes(1);
        DateTimeOffset CandleOf(DateTimeOffset at) => first.AddMinutes(Math.Floor((at - first).TotalMinutes));
        var markers = new List<ChartMarker>();
        foreach (var p in all.Where(p => p.Symbol == symbol))
        {
            if (p.OpenedAt >= first && p.OpenedAt < end)
            {
                markers.Add(new ChartMarker(CandleOf(p.OpenedAt), p.OpenedAt, "entry", p.EntryPrice, p.Id, null, null));
            }
            if (p.ClosedAt is { } closed && closed >= first && closed < end && p.ExitPrice is { } exit)
            {
                var reason = PositionView.From(p).ExitReason;
                markers.Add(new ChartMarker(CandleOf(closed), closed, "exit", exit, p.Id, reason, p.RealizedPnl));
            }
        }
        return markers.OrderBy(m => m.At).ToList();
    }
}

public enum ChartOutcome
{
    Ok,
    NotFound,
    UnknownSymbol,
}

/// <summary>The body of <c>GET /api/engines/{id}/candles</c>.</summary>
public sealed record EngineChartView(string ConnectionId, string Symbol, string Interval, string PresetId, string Strategy,
    IReadOnlyList<CandleView> Candles, IReadOnlyList<IndicatorLine> Indicators, IReadOnlyList<ChartMarker> Markers);

/// <summary>One candle; <c>time</c> is its open time; <c>forming</c> marks the minute in progress (the last one, from the quote).</summary>
public sealed record CandleView(DateTimeOffset Time, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, bool Forming = false)
{
    public static CandleView From(Candle c) => new(c.OpenTime, c.Open, c.High, c.Low, c.Close, c.Volume);
}

/// <summary>An entry or exit: the candle it falls in (<c>time</c>), when it happened, its price, and for exits why and the PnL.</summary>
public sealed record ChartMarker(DateTimeOffset Time, DateTimeOffset At, string Kind, decimal Price, string PositionId, string? ExitReason,
    decimal? RealizedPnl);
