using Cts.Domain.Backtesting;
using Cts.Domain.Config;
using Cts.Functions.Exchanges;
using Cts.Functions.Storage;

namespace Cts.Functions.Backtests;

/// <summary>What a backtest looks like over HTTP: its record, and once completed the full report.</summary>
public sealed record BacktestView(
    string Id, string Status, double Progress, DateTimeOffset? SimulatedTime, int Trades, BacktestSpecView Request,
    DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int Resumes, DateTimeOffset? ResumedFrom,
    long TicksRun, long TicksSkipped, string? Error, BacktestReport? Results);

/// <summary>The request as resolved: the preset it runs (by value) and the venue's fee and slippage.</summary>
public sealed record BacktestSpecView(string PresetId, Preset Preset, IReadOnlyList<string> Symbols, DateTimeOffset From, DateTimeOffset To,
    decimal StartingBalance, decimal FeeRate, decimal SlippageBps, string DataSource);

public enum BacktestCreateOutcome { Created, Invalid }

/// <summary>The one path to backtests for the API: validate, store the record, start its grain; list, read, delete.</summary>
public sealed class BacktestService(
    IGrainFactory grains, BacktestStore store, PresetStore presets, PaperLedgers ledgers, IConfiguration configuration, TimeProvider time)
{
    public async Task<(BacktestView? View, IReadOnlyDictionary<string, string[]>? Errors)> CreateAsync(BacktestRequest request, string actor,
        CancellationToken cancellationToken = default)
    {
        var errors = BacktestRequestValidator.Validate(request);
        Preset? preset = request.Preset;
        if (errors.IsEmpty && preset is null)
        {
            preset = await presets.ResolveAsync(request.PresetId ?? Preset.DefaultId, cancellationToken);
            if (preset is null)
            {
                errors.Add("presetId", $"there is no preset '{request.PresetId}'");
            }
        }
        if (!errors.IsEmpty)
        {
            return (null, errors.ToDictionary());
        }
        var id = "bt-" + Guid.NewGuid().ToString("N")[..16];
        var spec = BacktestRequestValidator.ToSpec(id, request, preset!, configuration.GetValue<ulong?>("Paper:Seed") ?? 42,
            ledgers.StartingQuoteBalance);
        var now = time.GetUtcNow();
        var record = new BacktestRecord { Id = id, Spec = spec, CreatedAt = now, UpdatedAt = now, CreatedBy = actor };
        await store.CreateAsync(record, cancellationToken);
        await grains.GetGrain<IBacktestGrain>(id).Start();
        return (View(await store.GetAsync(id, cancellationToken) ?? record, null), null);
    }

    public async Task<IReadOnlyList<BacktestView>> ListAsync(CancellationToken cancellationToken = default) =>
        (await store.ListAsync(cancellationToken)).Select(r => View(r, r.Summary)).ToList();

    /// <summary>One backtest with its full report (equity curve and trade list) once completed; null when unknown.</summary>
    public async Task<BacktestView?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } record)
        {
            return null;
        }
        if (record.Summary is not { } summary)
        {
            return View(record, null);
        }
        var trades = await store.TradesAsync(id, record.Trades, cancellationToken);
        var report = summary with
        {
            EquityCurve = await store.LoadEquityAsync(id, cancellationToken),
            TradeList = trades.Select(t => BacktestTrade.From(t.ToPosition())).OrderBy(t => t.ExitTime).ThenBy(t => t.PositionId, StringComparer.Ordinal).ToList(),
        };
        return View(record, report);
    }

    /// <summary>Cancels (if running) and removes a backtest; false when unknown.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
        {
            return false;
        }
        await grains.GetGrain<IBacktestGrain>(id).Delete();
        return true;
    }

    private static BacktestView View(BacktestRecord r, BacktestReport? results) => new(
        r.Id, r.Status, r.Progress, r.SimulatedTime, r.Trades,
        new BacktestSpecView(r.Spec.Preset.Id, r.Spec.Preset, r.Spec.Symbols, r.Spec.From, r.Spec.To, r.Spec.StartingBalance, r.Spec.FeeRate,
            r.Spec.SlippageBps, r.Spec.DataSource),
        r.CreatedAt, r.CreatedBy, r.StartedAt, r.FinishedAt, r.Resumes, r.ResumedFrom, r.TicksRun, r.TicksSkipped, r.Error, results);
}
