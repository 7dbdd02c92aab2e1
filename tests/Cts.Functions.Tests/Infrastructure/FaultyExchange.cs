using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// Fault injection at the exchange boundary: the real paper venue, except that its connectivity check fails the first
/// <see cref="FailChecks"/> times (or always, when negative) with a transient error, or refuses the credentials every
/// time when <see cref="RejectCredentials"/> is set. Its probe is <see cref="IExchange"/>'s default, which times that check.
/// </summary>
public sealed class FaultyExchange(IExchange inner) : IExchange
{
    private int _checks;

    public int FailChecks { get; init; }

    /// <summary>The venue's refusal of the key, as a venue adapter reports it; null: the key is accepted.</summary>
    public string? RejectCredentials { get; init; }
    public int Checks => Volatile.Read(ref _checks);
    public string Name => inner.Name;

    /// <summary>When set, every connectivity check waits for this task before it answers: a venue that does not answer yet.</summary>
    public Task? HoldChecksUntil { get; init; }

    private readonly TaskCompletionSource _checkEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first check has begun (and, with <see cref="HoldChecksUntil"/>, is waiting).</summary>
    public Task CheckEntered => _checkEntered.Task;

    public Task CheckAsync(CancellationToken cancellationToken)
    {
        _checkEntered.TrySetResult();
        return HoldChecksUntil is { } hold ? HeldCheckAsync(hold, cancellationToken) : CheckNowAsync(cancellationToken);
    }

    private async Task HeldCheckAsync(Task hold, CancellationToken cancellationToken)
    {
        await hold.WaitAsync(cancellationToken);
        await CheckNowAsync(cancellationToken);
    }

    private Task CheckNowAsync(CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _checks);
        if (RejectCredentials is { } refusal)
        {
            throw new ExchangeException(ExchangeFaultKind.CredentialsRejected, refusal);
        }
        return FailChecks < 0 || attempt <= FailChecks
            ? throw new ExchangeException(ExchangeFaultKind.Transient, $"injected: venue unreachable (check {attempt})")
            : inner.CheckAsync(cancellationToken);
    }

    public ValueTask<Quote> GetQuoteAsync(string symbol, CancellationToken cancellationToken) => inner.GetQuoteAsync(symbol, cancellationToken);
    public Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int count, CancellationToken cancellationToken) => inner.GetCandlesAsync(symbol, count, cancellationToken);
    public Task<OrderResult> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken) => inner.PlaceOrderAsync(request, cancellationToken);
    public Task<OrderResult?> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) => inner.GetOrderAsync(symbol, clientOrderId, cancellationToken);
    public Task<bool> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken) => inner.CancelOrderAsync(symbol, clientOrderId, cancellationToken);
    public Task<Balance> GetBalanceAsync(string asset, CancellationToken cancellationToken) => inner.GetBalanceAsync(asset, cancellationToken);

    /// <summary>A venue factory handing out one shared faulty paper exchange, whatever the connection.</summary>
    public static Cts.Functions.Exchanges.IExchangeFactory Factory(FaultyExchange exchange) => new SingleExchangeFactory(exchange);

    private sealed class SingleExchangeFactory(IExchange exchange) : Cts.Functions.Exchanges.IExchangeFactory
    {
        public IExchange Create(Cts.Domain.Connections.Connection connection, Cts.Domain.Config.EngineSettings settings) => exchange;
    }

    /// <summary>The real paper venue on the system clock with an in-memory ledger.</summary>
    public static IExchange Paper() => new PaperExchange(new PaperMarket(42), TimeProvider.System, new PaperFillModel(), new InMemoryPaperLedger());
}
