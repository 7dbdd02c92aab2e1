using System.Globalization;
using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Cts.Functions.Exchanges;

/// <summary>The operation names <see cref="ResilientExchange"/> reports outcomes under (and uses as Polly operation keys).</summary>
public static class ExchangeOperation
{
    public const string Check = "check";
    public const string Probe = "probe";
    public const string Quote = "quote";
    public const string Candles = "candles";
    public const string PlaceOrder = "place-order";
    public const string GetOrder = "get-order";
    public const string CancelOrder = "cancel-order";
    public const string Balance = "balance";
}

/// <summary>How one call through <see cref="ResilientExchange"/> ended, after its retries: one report per call.</summary>
public static class ExchangeCallOutcome
{
    /// <summary>The call returned (possibly after retries).</summary>
    public const string Success = "success";

    /// <summary>Transient faults (5xx, throttling, HTTP errors) outlasted the retries, or one was not retried (long Retry-After).</summary>
    public const string TransientFailure = "transient-failure";

    /// <summary>The venue refused the request or the credentials (<see cref="ExchangeFaultKind.Rejected"/>, <see cref="ExchangeFaultKind.CredentialsRejected"/>): not retried.</summary>
    public const string Rejected = "rejected";

    /// <summary>The last attempt exceeded the attempt timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The connection's circuit is open: the call was not sent.</summary>
    public const string CircuitOpen = "circuit-open";

    /// <summary>The caller canceled (e.g. the engine's cycle timeout or a shutdown): not a venue fault.</summary>
    public const string Canceled = "canceled";

    /// <summary>Anything else: a bug in an adapter, passed through unchanged.</summary>
    public const string Error = "error";

    /// <summary>
    /// The outcome of a call that failed with <paramref name="failure"/>, passed through as it is: a venue fault by its
    /// kind, the caller's own cancellation, or anything else.
    /// </summary>
    public static string Of(Exception failure, CancellationToken callerToken) => failure switch
    {
        OperationCanceledException when callerToken.IsCancellationRequested => Canceled,
        ExchangeException { Kind: ExchangeFaultKind.Transient } => TransientFailure,
        ExchangeException => Rejected,
        _ => Error,
    };

    /// <summary>Tells <paramref name="onOutcome"/> how a call ended; metrics never change the outcome of an exchange call.</summary>
    public static void Report(Action<string, string>? onOutcome, string operation, string outcome)
    {
        if (onOutcome is null)
        {
            return;
        }
        try
        {
            onOutcome(operation, outcome);
        }
        catch (Exception)
        {
            // An exception from the metrics is ignored.
        }
    }
}

/// <summary>
/// An <see cref="IExchange"/> whose every call goes through the connection's resilience pipeline (see
/// <see cref="ExchangeResilience"/>). What leaves it is what the engine already handles: the result, an
/// <see cref="ExchangeException"/> (a timeout, an open circuit and an untranslated HTTP failure become transient ones,
/// so the engine counts a failed cycle instead of crashing), or the caller's own cancellation.
/// </summary>
/// <param name="pipeline">The connection's pipeline, shared by all its calls: build it once per connection.</param>
/// <param name="onOutcome">
/// Called once per call with the operation (<see cref="ExchangeOperation"/>) and how it ended
/// (<see cref="ExchangeCallOutcome"/>), for metrics. Must be cheap; an exception it throws is ignored.
/// </param>
public sealed class ResilientExchange(IExchange inner, ResiliencePipeline pipeline, string connectionId,
    Action<string, string>? onOutcome = null) : IExchange
{
    private readonly IExchange _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly ResiliencePipeline _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));

    public string Name => _inner.Name;

    /// <summary>The venue adapter this decorates.</summary>
    public IExchange Inner => _inner;

    public string ConnectionId { get; } = !string.IsNullOrEmpty(connectionId)
        ? connectionId
        : throw new ArgumentException("is required", nameof(connectionId));

    public Task CheckAsync(CancellationToken cancellationToken) =>
        RunAsync(ExchangeOperation.Check, async ct =>
        {
            await _inner.CheckAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>The venue's own probe (binance overrides the default), through the pipeline like every other call.</summary>
    public Task<ExchangeProbe> ProbeAsync(IReadOnlyList<string> symbols, TimeProvider time, CancellationToken cancellationToken) =>
        RunAsync(ExchangeOperation.Probe, ct => _inner.ProbeAsync(symbols, time, ct), cancellationToken);

    public ValueTask<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken) =>
        new(RunAsync(ExchangeOperation.Quote, ct => _inner.GetQuoteAsync(symbol, ct).AsTask(), cancellationToken));

    public Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken) =>
        RunAsync(ExchangeOperation.Candles, ct => _inner.GetCandlesAsync(symbol, count, ct), cancellationToken);

    /// <summary>
    /// Retried like every other call, and that is safe because every venue adapter makes placement idempotent by
    /// <see cref="OrderRequest.ClientOrderId"/>: the paper venue returns the order it already holds; the binance adapter
    /// (whose venue only refuses a duplicate id while the order is open, and a market order fills at once) looks the
    /// order up by <c>origClientOrderId</c> before it sends an id a second time, so a retry after a timeout or a 5xx
    /// never places a second order. The same request object is sent on every attempt.
    /// </summary>
    public Task<OrderResult> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken) =>
        RunAsync(ExchangeOperation.PlaceOrder, ct => _inner.PlaceOrderAsync(request, ct), cancellationToken);

    public Task<OrderResult?> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) =>
        RunAsync(ExchangeOperation.GetOrder, ct => _inner.GetOrderAsync(symbol, clientOrderId, ct), cancellationToken);

    /// <summary>
    /// Retried too: canceling twice never does harm. Note that if an attempt canceled the order but its response was
    /// lost, the retry finds nothing left to cancel and returns false; a caller that must know asks
    /// <see cref="GetOrderAsync"/>.
    /// </summary>
    public Task<bool> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) =>
        RunAsync(ExchangeOperation.CancelOrder, ct => _inner.CancelOrderAsync(symbol, clientOrderId, ct), cancellationToken);

    public Task<Balance> GetBalanceAsync(string asset, CancellationToken cancellationToken) =>
        RunAsync(ExchangeOperation.Balance, ct => _inner.GetBalanceAsync(asset, ct), cancellationToken);

    private async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            // Each attempt gets the attempt timeout's token (linked to the caller's), so a hung call is abandoned.
            var result = await _pipeline.ExecuteAsync(
                async (ctx, _) =>
                {
                    attempts++;
                    return await call(ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                0).ConfigureAwait(false);
            Report(operation, ExchangeCallOutcome.Success);
            return result;
        }
        catch (TimeoutRejectedException e)
        {
            Report(operation, ExchangeCallOutcome.Timeout);
            throw new ExchangeException(ExchangeFaultKind.Transient,
                Text($"{Name} {operation} timed out after {Seconds(e.Timeout)} ({Attempts(attempts)}, connection '{ConnectionId}')"), e);
        }
        catch (BrokenCircuitException e)
        {
            Report(operation, ExchangeCallOutcome.CircuitOpen);
            var retry = e.RetryAfter is { } after ? Text($"; retrying after {Seconds(after)}") : "";
            throw new ExchangeException(ExchangeFaultKind.Transient,
                Text($"circuit open for connection '{ConnectionId}' on {Name}: {operation} not sent{retry}"), e);
        }
        catch (HttpRequestException e)
        {
            Report(operation, ExchangeCallOutcome.TransientFailure);
            throw new ExchangeException(ExchangeFaultKind.Transient,
                Text($"{Name} {operation} failed: {e.Message} ({Attempts(attempts)}, connection '{ConnectionId}')"), e);
        }
        catch (Exception e)
        {
            // Passed through unchanged: a venue fault by its kind, the caller's cancellation, or an adapter's bug.
            Report(operation, ExchangeCallOutcome.Of(e, cancellationToken));
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void Report(string operation, string outcome) => ExchangeCallOutcome.Report(onOutcome, operation, outcome);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";
}
