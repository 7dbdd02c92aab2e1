using Cts.Domain.Config;
using Cts.Domain.Processors;
using Cts.Domain.Strategies;
using Cts.Domain.Trading;
using Cts.Functions.Exchanges;
using Cts.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Engines;

/// <summary>
/// Everything one run of an engine works with, read once when it initializes: the configuration versions it runs
/// with, its intervals and settings, and the cycle context (exchange, strategy, risk, book, executor).
/// </summary>
public sealed record EngineRun(
    EngineCycleContext Context,
    ITradeJournal Journal,
    ProcessorIntervals Intervals,
    EngineSettings Settings,
    long ConnectionVersion,
    long PresetVersion);

/// <summary>
/// Builds an <see cref="EngineRun"/> from the stores: connection, settings, preset, exchange check, and the trade
/// journal, whose pending intents are reconciled with the venue before any cycle runs.
/// </summary>
public sealed class EngineRunBuilder(
    ConnectionStore connections,
    SettingsStore settings,
    PresetStore presets,
    IExchangeFactory exchanges,
    CtsTables tables,
    PaperFillModel valuation,
    TimeProvider time,
    IOptions<EngineOptions> options)
{
    /// <summary>
    /// What the connection's trade journal holds (open positions, unsettled intents), read without building the run:
    /// for an engine that is not running, whose connection may already be gone.
    /// </summary>
    public Task<TradingSnapshot> LoadTradingAsync(string connectionId, CancellationToken cancellationToken) =>
        new TableTradeJournal(tables, connectionId).LoadAsync(cancellationToken);

    /// <summary>Throws <see cref="InitializationException"/>, <see cref="Domain.Exchanges.ExchangeException"/> or a storage error when it cannot.</summary>
    public async Task<EngineRun> BuildAsync(string connectionId, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(connectionId, cancellationToken)
            ?? throw new InitializationException($"connection '{connectionId}' does not exist");
        var currentSettings = await settings.CurrentAsync(cancellationToken);
        var preset = await presets.ResolveAsync(connection.Value.PresetId, cancellationToken)
            ?? throw new InitializationException($"preset '{connection.Value.PresetId}' does not exist");
        var exchange = exchanges.Create(connection.Value, currentSettings);
        await exchange.CheckAsync(cancellationToken);

        var journal = new TableTradeJournal(tables, connectionId, TimeSpan.FromSeconds(options.Value.IntentWriteTimeoutSeconds));
        var book = new TradingBook(await journal.LoadAsync(cancellationToken));
        var orders = new OrderExecutor(connectionId, exchange, journal, book, time);
        // A crash between "order sent" and "order recorded" left intents pending: settle them before trading on.
        await orders.ReconcileAsync(cancellationToken);

        var strategy = new MemoizedStrategy(StrategyFactory.Create(preset.ToStrategyParameters()), Math.Max(1, connection.Value.Symbols.Count));
        var trader = new Trader(strategy, preset.ToRiskParameters(), book, orders, valuation);
        var context = new EngineCycleContext(connectionId, connection.Value.Symbols, exchange, trader);
        return new EngineRun(context, journal, ProcessorIntervals.From(options.Value, preset), currentSettings,
            connection.Value.Version, preset.Version);
    }
}
