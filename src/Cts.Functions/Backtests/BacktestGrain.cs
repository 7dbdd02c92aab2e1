using System.Diagnostics;
using Cts.Domain.Backtesting;
using Cts.Domain.Market;
using Cts.Domain.Processors;
using Cts.Domain.Strategies;
using Cts.Domain.Trading;
using Cts.Functions.Engines;
using Cts.Functions.Live;
using Cts.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Backtests;

/// <summary>
/// Runs one backtest in slices of about 100 ms (a non-interleaving grain timer, so reads, cancel and delete get their
/// turn between slices), checkpointing every second of wall time: the trades closed since the last checkpoint go to the
/// trades table, then the runner's checkpoint to its blob, then the progress to the record and a
/// <c>backtest-progress</c> event. A durable reminder exists while it runs; after a crash or restart it (or the boot
/// scan) activates the grain, which resumes from the last checkpoint instead of starting over.
/// </summary>
public sealed partial class BacktestGrain(
    BacktestStore store,
    CandleStore candles,
    EngineEventBus events,
    TimeProvider time,
    IOptions<EngineOptions> options,
    ILogger<BacktestGrain> logger) : Grain, IBacktestGrain, IRemindable
{
    /// <summary>The connection id every backtest's orders are keyed by, so the same request gives the same trades whatever its id.</summary>
    public const string OrderKey = "backtest";
    private const string Watchdog = "backtest-watchdog";
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);

    private BacktestRecord? _record;
    private BacktestRunner? _runner;
    private IMarketData? _market;
    private IGrainTimer? _timer;
    private long _lastCheckpoint;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _record = await store.GetAsync(Id, cancellationToken);
        if (_record is { Status: var s } && BacktestStatus.IsActive(s))
        {
            await RunAsync();
        }
    }

    public async Task Start()
    {
        _record = await store.GetAsync(Id);
        if (_record is { Status: BacktestStatus.Queued } && _timer is null)
        {
            await RunAsync();
        }
    }

    public async Task Cancel()
    {
        if (_record is not { Status: var s } || !BacktestStatus.IsActive(s))
        {
            return;
        }
        await StopAsync(_record with { Status = BacktestStatus.Canceled, FinishedAt = time.GetUtcNow() });
        LogCanceled(Id);
    }

    public async Task Delete()
    {
        await Cancel();
        await store.DeleteAsync(Id);
        _record = null;
        DeactivateOnIdle();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Activation resumed it already; a reminder of a finished backtest is left over from a crash.
        if (_record is null || !BacktestStatus.IsActive(_record.Status))
        {
            await DropWatchdogAsync();
        }
    }

    private async Task RunAsync()
    {
        var record = _record!;
        var spec = record.Spec;
        try
        {
            var preset = spec.Preset;
            var strategy = preset.ToStrategyParameters();
            var setup = new BacktestSetup(OrderKey, spec.Symbols, spec.From, spec.To, strategy, preset.ToRiskParameters(),
                CycleCadence.For(OrderKey,
                    TimeSpan.FromMilliseconds(preset.IndicationsMs ?? options.Value.IndicationsMs),
                    TimeSpan.FromMilliseconds(preset.StrategiesMs ?? options.Value.StrategiesMs),
                    TimeSpan.FromMilliseconds(preset.RealtimeMs ?? options.Value.RealtimeMs)),
                new PaperFillModel(spec.FeeRate, spec.SlippageBps), spec.StartingBalance);
            _market = spec.DataSource == BacktestDataSources.Imported
                ? await LoadCandlesAsync(spec, IndicationsProcessor.CandleCount(StrategyFactory.Create(strategy)))
                : new PaperHistory(new PaperMarket(spec.Seed));
            var checkpoint = await store.LoadCheckpointAsync(Id);
            _runner = await BacktestRunner.StartAsync(setup, _market, checkpoint);
            var resumed = checkpoint is not null;
            _record = record with
            {
                Status = BacktestStatus.Running,
                StartedAt = record.StartedAt ?? time.GetUtcNow(),
                Resumes = record.Resumes + (resumed ? 1 : 0),
                ResumedFrom = resumed ? _runner.Cursor : record.ResumedFrom,
                UpdatedAt = time.GetUtcNow(),
            };
            await store.SaveAsync(_record);
            await this.RegisterOrUpdateReminder(Watchdog, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            if (resumed)
            {
                LogResumed(Id, _runner.Cursor, _runner.Progress);
            }
        }
        catch (BacktestDataException e)
        {
            await StopAsync(record with { Status = BacktestStatus.Failed, Error = e.Message, FinishedAt = time.GetUtcNow() });
            return;
        }
        _lastCheckpoint = Stopwatch.GetTimestamp();
        _timer = this.RegisterGrainTimer(_ => SliceAsync(), new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = TimeSpan.FromMilliseconds(1),
            Interleave = false,
            KeepAlive = true,
        });
    }

    private async Task SliceAsync()
    {
        if (_runner is not { } runner || _record is not { Status: BacktestStatus.Running })
        {
            return;
        }
        try
        {
            var started = Stopwatch.GetTimestamp();
            while (!runner.Completed && Stopwatch.GetElapsedTime(started) < Slice)
            {
                await runner.StepAsync(5_000);
            }
            if (runner.Completed)
            {
                await FinishAsync(runner);
            }
            else if (Stopwatch.GetElapsedTime(_lastCheckpoint) >= CheckpointEvery)
            {
                await CheckpointAsync(runner);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFailed(e, Id);
            await StopAsync(_record with { Status = BacktestStatus.Failed, Error = e.Message, FinishedAt = time.GetUtcNow() });
        }
    }

    private async Task CheckpointAsync(BacktestRunner runner)
    {
        var trades = runner.TakeClosedTrades();
        await store.AppendTradesAsync(Id, runner.ClosedTradeCount - trades.Count, trades.Select(PositionRecord.From).ToList());
        await store.SaveCheckpointAsync(Id, runner.Checkpoint());
        _record = Progressed(_record!, runner);
        await store.SaveAsync(_record);
        _lastCheckpoint = Stopwatch.GetTimestamp();
        Publish();
    }

    private async Task FinishAsync(BacktestRunner runner)
    {
        var spec = _record!.Spec;
        var trades = runner.TakeClosedTrades();
        await store.AppendTradesAsync(Id, runner.ClosedTradeCount - trades.Count, trades.Select(PositionRecord.From).ToList());
        var all = (await store.TradesAsync(Id, runner.ClosedTradeCount)).Select(t => t.ToPosition()).ToList();
        var buyAndHold = BuyAndHold.Compute(_market!, spec.Symbols, spec.From, spec.To, spec.StartingBalance,
            new PaperFillModel(spec.FeeRate, spec.SlippageBps));
        var report = BacktestReport.Build(runner.Setup, all, runner.Equity, buyAndHold);
        await store.SaveEquityAsync(Id, report.EquityCurve);
        await StopAsync(Progressed(_record, runner) with
        {
            Status = BacktestStatus.Completed,
            FinishedAt = time.GetUtcNow(),
            Summary = report with { EquityCurve = [], TradeList = [] },
        });
        await store.DeleteCheckpointAsync(Id);
        LogCompleted(Id, report.Trades, report.TotalProfit);
    }

    private BacktestRecord Progressed(BacktestRecord record, BacktestRunner runner) => record with
    {
        Progress = Math.Round(runner.Progress, 6),
        SimulatedTime = runner.Cursor,
        Trades = runner.ClosedTradeCount,
        TicksRun = runner.TicksRun,
        TicksSkipped = runner.TicksSkipped,
        UpdatedAt = time.GetUtcNow(),
    };

    private async Task StopAsync(BacktestRecord final)
    {
        _timer?.Dispose();
        _timer = null;
        _runner = null;
        _record = final with { UpdatedAt = time.GetUtcNow() };
        await store.SaveAsync(_record);
        await DropWatchdogAsync();
        Publish();
    }

    private async Task DropWatchdogAsync()
    {
        if (await this.GetReminder(Watchdog) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void Publish() => events.Publish(EngineEventTypes.BacktestProgress, Id, BacktestProgressEvent.From(_record!));

    private async Task<CandleMarket> LoadCandlesAsync(BacktestSpec spec, int warmup)
    {
        var from = spec.From.AddMinutes(-warmup);
        var series = new Dictionary<string, IReadOnlyList<Candle>>(StringComparer.Ordinal);
        foreach (var symbol in spec.Symbols)
        {
            var list = await candles.LoadAsync(symbol, from, spec.To);
            var expected = (int)(spec.To - from).TotalMinutes;
            if (list.Count != expected || list.Count == 0 || list[0].OpenTime != from)
            {
                throw new BacktestDataException(
                    $"{symbol}: the window needs every one-minute candle from {from:O} (the strategy's {warmup} minutes of warm-up before 'from') " +
                    $"to {spec.To:O}: {expected} candles; {list.Count} are imported in that range");
            }
            series[symbol] = list;
        }
        return new CandleMarket(series);
    }

    [LoggerMessage(LogLevel.Information, "Backtest {Id}: resumed at {Cursor} ({Progress:P1})")]
    private partial void LogResumed(string id, DateTimeOffset cursor, double progress);

    [LoggerMessage(LogLevel.Information, "Backtest {Id}: completed, {Trades} trades, profit {Profit}")]
    private partial void LogCompleted(string id, int trades, decimal profit);

    [LoggerMessage(LogLevel.Information, "Backtest {Id}: canceled")]
    private partial void LogCanceled(string id);

    [LoggerMessage(LogLevel.Warning, "Backtest {Id}: failed")]
    private partial void LogFailed(Exception exception, string id);
}

/// <summary>The backtest's data cannot cover its window: it fails with this message, nothing to retry.</summary>
public sealed class BacktestDataException(string message) : Exception(message);

/// <summary>The data of a <c>backtest-progress</c> event.</summary>
public sealed record BacktestProgressEvent(string Id, string Status, double Progress, DateTimeOffset? SimulatedTime, int Trades, string? Error)
{
    public static BacktestProgressEvent From(BacktestRecord r) => new(r.Id, r.Status, r.Progress, r.SimulatedTime, r.Trades, r.Error);
}

/// <summary>Where a backtest's prices come from.</summary>
public static class BacktestDataSources
{
    public const string Paper = "paper", Imported = "imported";
}
