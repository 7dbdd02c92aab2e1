using Cts.Domain.Strategies;
using Cts.Domain.Trading;

namespace Cts.Domain.Config;

/// <summary>
/// Strategy and risk parameters and cycle intervals (SPEC §2), shared by the connections that name it. A connection
/// without a preset trades with <see cref="Default"/> unless a stored preset named <c>default</c> replaces it.
/// </summary>
public sealed record Preset
{
    public const string DefaultId = "default";
    public const int MinIntervalMs = 250;
    public const int MaxIntervalMs = 3_600_000;
    public const int MaxOpenPositionsLimit = 100;

    public string Id { get; init; } = DefaultId;
    public string Name { get; init; } = "Default";

    public string Strategy { get; init; } = StrategyNames.EmaCrossover;
    /// <summary>
    /// Short averages by default so a paper engine on one-minute candles trades within minutes (median wait for a
    /// first entry with two symbols: about 7 minutes, measured in <c>PaperTradingRunTests</c>); 9/21 is the calmer classic.
    /// </summary>
    public int EmaFast { get; init; } = 3;
    public int EmaSlow { get; init; } = 8;
    public bool UseRsiFilter { get; init; }
    public int RsiPeriod { get; init; } = 14;
    public double RsiOversold { get; init; } = 30;
    public double RsiOverbought { get; init; } = 70;

    public decimal PositionSizeQuote { get; init; } = 100m;
    public int MaxOpenPositions { get; init; } = 3;
    public decimal StopLossPct { get; init; } = 2m;
    public decimal TakeProfitPct { get; init; } = 4m;
    public decimal? TrailingStopPct { get; init; }

    /// <summary>Processor intervals; null takes the host's default (<c>host.json</c>, <c>cts:engine</c>).</summary>
    public int? IndicationsMs { get; init; }
    public int? StrategiesMs { get; init; }
    public int? RealtimeMs { get; init; }

    /// <summary>Increments on every change; set by the store, ignored when a client sends it.</summary>
    public long Version { get; init; } = 1;
    public DateTimeOffset? UpdatedAt { get; init; }

    public static Preset Default { get; } = new();

    public StrategyParameters ToStrategyParameters() =>
        new(Strategy, EmaFast, EmaSlow, UseRsiFilter, RsiPeriod, RsiOversold, RsiOverbought);

    public RiskParameters ToRiskParameters() =>
        new(PositionSizeQuote, MaxOpenPositions, StopLossPct, TakeProfitPct, TrailingStopPct);

    /// <summary>The fields a running engine only picks up on restart (everything but the name).</summary>
    public bool TradesDifferentlyFrom(Preset other) => this with { Name = "", Version = 0, UpdatedAt = null }
        != other with { Name = "", Version = 0, UpdatedAt = null };
}
