using System.Text.RegularExpressions;
using Cts.Domain.Config;
using Cts.Domain.Market;
using Cts.Domain.Trading;

namespace Cts.Functions.Backtests;

/// <summary>The body of <c>POST /api/backtests</c>. Unset fee, slippage and balance take the paper venue's defaults.</summary>
public sealed record BacktestRequest(
    string? PresetId = null,
    Preset? Preset = null,
    IReadOnlyList<string>? Symbols = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    decimal? StartingBalance = null,
    decimal? FeeRate = null,
    decimal? SlippageBps = null,
    string? DataSource = null);

/// <summary>The one validator of backtest requests: every problem at once, per field, as on the wire.</summary>
public static partial class BacktestRequestValidator
{
    public const int MaxSymbols = 10;
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    [GeneratedRegex("^[A-Z0-9]{2,20}USDT$")]
    private static partial Regex SymbolPattern();

    public static FieldErrors Validate(BacktestRequest request)
    {
        var errors = new FieldErrors();
        if (request.PresetId is not null && request.Preset is not null)
        {
            errors.Add("preset", "give presetId or an inline preset, not both");
        }
        if (request.Preset is { } inline)
        {
            errors.Merge("preset.", Cts.Domain.Config.PresetValidator.Validate(inline));
        }
        if (request.PresetId is { } id && !Cts.Domain.Connections.ConnectionId.IsValid(id))
        {
            errors.Add("presetId", $"must match {Cts.Domain.Connections.ConnectionId.Pattern}");
        }
        if (request.Symbols is not { Count: > 0 } symbols)
        {
            errors.Add("symbols", "at least one symbol is required");
        }
        else
        {
            if (symbols.Count > MaxSymbols)
            {
                errors.Add("symbols", $"at most {MaxSymbols} symbols");
            }
            for (var i = 0; i < symbols.Count; i++)
            {
                if (symbols[i] is null || !SymbolPattern().IsMatch(symbols[i]))
                {
                    errors.Add($"symbols[{i}]", "must be an upper-case symbol quoted in USDT, e.g. BTCUSDT");
                }
            }
            if (symbols.Distinct(StringComparer.Ordinal).Count() != symbols.Count)
            {
                errors.Add("symbols", "must not repeat a symbol");
            }
        }
        CheckTime(errors, "from", request.From);
        CheckTime(errors, "to", request.To);
        if (request.From is { } from && request.To is { } to)
        {
            if (to <= from)
            {
                errors.Add("to", "must be after from");
            }
            else if (to - from > MaxWindow)
            {
                errors.Add("to", $"the window is at most {MaxWindow.TotalDays:0} days");
            }
        }
        if (request.StartingBalance is { } balance && (balance <= 0 || balance > 1_000_000_000m))
        {
            errors.Add("startingBalance", "must be greater than 0 and at most 1,000,000,000");
        }
        if (request.FeeRate is { } fee && (fee < 0 || fee >= 0.1m))
        {
            errors.Add("feeRate", "must be at least 0 and less than 0.1 (a fraction of the notional: 0.001 = 0.1 %)");
        }
        if (request.SlippageBps is { } slippage && (slippage < 0 || slippage > 1000))
        {
            errors.Add("slippageBps", "must be between 0 and 1000");
        }
        if (request.DataSource is { } source && source is not (BacktestDataSources.Paper or BacktestDataSources.Imported))
        {
            errors.Add("dataSource", "must be paper or imported");
        }
        return errors;
    }

    private static void CheckTime(FieldErrors errors, string field, DateTimeOffset? value)
    {
        if (value is not { } at)
        {
            errors.Add(field, "is required (ISO 8601, UTC)");
            return;
        }
        if (at.Ticks % TimeSpan.TicksPerMinute != 0 || at.Offset != TimeSpan.Zero)
        {
            errors.Add(field, "must be a whole minute in UTC (e.g. 2025-01-01T00:00:00Z)");
        }
        if (at < MinutePrices.Epoch)
        {
            errors.Add(field, $"must not be before {MinutePrices.Epoch:yyyy-MM-dd}");
        }
    }

    /// <summary>The spec of a valid request with its resolved preset and the venue's defaults filled in.</summary>
    public static BacktestSpec ToSpec(string id, BacktestRequest request, Preset preset, ulong seed, decimal defaultBalance)
    {
        var fills = new PaperFillModel();
        return new BacktestSpec(id, preset, request.Symbols!, request.From!.Value, request.To!.Value,
            request.StartingBalance ?? defaultBalance, request.FeeRate ?? fills.FeeRate, request.SlippageBps ?? fills.SlippageBps,
            request.DataSource ?? BacktestDataSources.Paper, seed);
    }
}
