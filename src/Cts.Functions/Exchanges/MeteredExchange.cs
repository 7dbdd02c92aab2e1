using Cts.Domain.Exchanges;
using Cts.Domain.Market;

namespace Cts.Functions.Exchanges;

/// <summary>
/// The paper venue as its engines call it: market data (quotes and candles) comes from the in-process paper market and
/// is read directly, each call's outcome reported like <see cref="ResilientExchange"/> reports it; everything that
/// touches the venue's table ledger (orders, balances, the check) goes through <paramref name="resilient"/>, the
/// connection's resilience pipeline, because that does leave the process. A quote never leaves it, so it has nothing
/// for a timeout, a retry or a circuit breaker to protect, and at 10,000 paper engines the pipeline cost a pooled token
/// source, a timer and closures per quote (~6 % of what the host allocated); the engine's cycle timeout still bounds
/// every call. A quote that is ready at once passes through untouched (a value task: no task is allocated for it), so this
/// allocates nothing on that path.
/// </summary>
public sealed class MeteredExchange(IExchange venue, IExchange resilient, Action<string, string> onOutcome) : IExchange
{
    public string Name => venue.Name;

    public Task CheckAsync(CancellationToken cancellationToken) => resilient.CheckAsync(cancellationToken);

    public Task<ExchangeProbe> ProbeAsync(IReadOnlyList<string> symbols, TimeProvider time, CancellationToken cancellationToken) =>
        resilient.ProbeAsync(symbols, time, cancellationToken);

    public ValueTask<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken) =>
        Run(ExchangeOperation.Quote, static (v, s, ct) => v.GetQuoteAsync(s, ct), symbol, cancellationToken);

    // A value task over the venue's task: AsTask gives that same task back, so this path allocates nothing more.
    public Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken) =>
        Run(ExchangeOperation.Candles, static (v, s, ct) => new ValueTask<IReadOnlyList<Candle>>(v.GetCandlesAsync(s.symbol, s.count, ct)),
            (symbol, count), cancellationToken).AsTask();

    public Task<OrderResult> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken) =>
        resilient.PlaceOrderAsync(request, cancellationToken);

    public Task<OrderResult?> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) =>
        resilient.GetOrderAsync(symbol, clientOrderId, cancellationToken);

    public Task<bool> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) =>
        resilient.CancelOrderAsync(symbol, clientOrderId, cancellationToken);

    public Task<Balance> GetBalanceAsync(string asset, CancellationToken cancellationToken) => resilient.GetBalanceAsync(asset, cancellationToken);

    private ValueTask<T> Run<TState, T>(string operation, Func<IExchange, TState, CancellationToken, ValueTask<T>> call, TState state,
        CancellationToken cancellationToken)
    {
        ValueTask<T> task;
        try
        {
            task = call(venue, state, cancellationToken);
        }
        catch (Exception e)
        {
            Report(operation, ExchangeCallOutcome.Of(e, cancellationToken));
            throw;
        }
        if (task.IsCompletedSuccessfully)
        {
            Report(operation, ExchangeCallOutcome.Success);
            return task;
        }
        return new(AwaitAsync(operation, task.AsTask(), cancellationToken));
    }

    private async Task<T> AwaitAsync<T>(string operation, Task<T> task, CancellationToken cancellationToken)
    {
        try
        {
            var result = await task.ConfigureAwait(false);
            Report(operation, ExchangeCallOutcome.Success);
            return result;
        }
        catch (Exception e)
        {
            Report(operation, ExchangeCallOutcome.Of(e, cancellationToken));
            throw;
        }
    }

    private void Report(string operation, string outcome) => ExchangeCallOutcome.Report(onOutcome, operation, outcome);
}
