using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;
using Cts.Functions.Exchanges;
using Moq;

namespace Cts.Functions.Tests.Exchanges;

/// <summary>
/// The paper venue's decorator: market data is read from the venue directly, each call reporting one outcome under its
/// operation with results and failures passed through unchanged; every other call goes to the resilient exchange.
/// </summary>
public sealed class MeteredExchangeTests
{
    private const string Symbol = "BTCUSDT";
    private static readonly Quote SomeQuote = new(Symbol, 59_999m, 60_001m, 60_000m, DateTimeOffset.UnixEpoch);

    private readonly Mock<IExchange> _venue = new(MockBehavior.Strict);
    private readonly Mock<IExchange> _resilient = new(MockBehavior.Strict);
    private readonly List<(string Operation, string Outcome)> _outcomes = [];

    private MeteredExchange Metered() => new(_venue.Object, _resilient.Object, (operation, outcome) => _outcomes.Add((operation, outcome)));

    [Fact]
    public async Task A_quote_that_is_ready_at_once_passes_through_without_a_task_and_reports_success()
    {
        var quote = new ValueTask<Quote>(SomeQuote);
        _venue.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>())).Returns(quote);

        var returned = Metered().GetQuoteAsync(Symbol, CancellationToken.None);

        // Equal value tasks hold the same result and no task: nothing was allocated to pass the quote on.
        Assert.True(returned.Equals(quote), "the quote came back wrapped in a task");
        Assert.Equal(SomeQuote, await returned);
        Assert.Equal([(ExchangeOperation.Quote, ExchangeCallOutcome.Success)], _outcomes);
    }

    [Fact]
    public async Task Candles_that_come_later_report_success_when_they_do()
    {
        var pending = new TaskCompletionSource<IReadOnlyList<Candle>>();
        _venue.Setup(v => v.GetCandlesAsync(Symbol, 3, It.IsAny<CancellationToken>())).Returns(pending.Task);

        var call = Metered().GetCandlesAsync(Symbol, 3, CancellationToken.None);
        Assert.Empty(_outcomes);
        pending.SetResult([]);

        Assert.Empty(await call);
        Assert.Equal([(ExchangeOperation.Candles, ExchangeCallOutcome.Success)], _outcomes);
    }

    [Theory]
    [InlineData(ExchangeFaultKind.Transient, ExchangeCallOutcome.TransientFailure)]
    [InlineData(ExchangeFaultKind.Rejected, ExchangeCallOutcome.Rejected)]
    [InlineData(ExchangeFaultKind.CredentialsRejected, ExchangeCallOutcome.Rejected)]
    public async Task A_venue_fault_passes_through_unchanged_and_is_reported_by_kind(ExchangeFaultKind kind, string outcome)
    {
        var fault = new ExchangeException(kind, "refused");
        _venue.Setup(v => v.GetQuoteAsync(Symbol, It.IsAny<CancellationToken>())).ThrowsAsync(fault);

        var thrown = await Assert.ThrowsAsync<ExchangeException>(() => Metered().GetQuoteAsync(Symbol, CancellationToken.None).AsTask());

        Assert.Same(fault, thrown);
        Assert.Equal([(ExchangeOperation.Quote, outcome)], _outcomes);
    }

    [Fact]
    public async Task A_synchronous_throw_and_the_callers_cancellation_are_reported_too()
    {
        _venue.Setup(v => v.GetCandlesAsync(Symbol, 10, It.IsAny<CancellationToken>())).Throws(new InvalidOperationException("bug"));
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        _venue.Setup(v => v.GetQuoteAsync(Symbol, canceled.Token)).Returns(new ValueTask<Quote>(Task.FromCanceled<Quote>(canceled.Token)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Metered().GetCandlesAsync(Symbol, 10, CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Metered().GetQuoteAsync(Symbol, canceled.Token).AsTask());

        Assert.Equal([(ExchangeOperation.Candles, ExchangeCallOutcome.Error), (ExchangeOperation.Quote, ExchangeCallOutcome.Canceled)], _outcomes);
    }

    [Fact]
    public async Task Orders_balances_and_the_check_go_through_the_resilient_exchange_and_never_to_the_venue_directly()
    {
        var order = new OrderRequest("cid-1", Symbol, OrderSide.Buy, 100m, null);
        var placed = new OrderResult("cid-1", Symbol, OrderSide.Buy, OrderStatus.Filled, 60_000m, 0.001m, 0.1m, DateTimeOffset.UnixEpoch, null);
        _resilient.Setup(r => r.PlaceOrderAsync(order, It.IsAny<CancellationToken>())).ReturnsAsync(placed);
        _resilient.Setup(r => r.GetOrderAsync(Symbol, "cid-1", It.IsAny<CancellationToken>())).ReturnsAsync(placed);
        _resilient.Setup(r => r.CancelOrderAsync(Symbol, "cid-1", It.IsAny<CancellationToken>())).ReturnsAsync(false);
        _resilient.Setup(r => r.GetBalanceAsync("USDT", It.IsAny<CancellationToken>())).ReturnsAsync(new Balance("USDT", 5m));
        _resilient.Setup(r => r.CheckAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var metered = Metered();

        Assert.Same(placed, await metered.PlaceOrderAsync(order, CancellationToken.None));
        Assert.Same(placed, await metered.GetOrderAsync(Symbol, "cid-1", CancellationToken.None));
        Assert.False(await metered.CancelOrderAsync(Symbol, "cid-1", CancellationToken.None));
        Assert.Equal(5m, (await metered.GetBalanceAsync("USDT", CancellationToken.None)).Free);
        await metered.CheckAsync(CancellationToken.None);

        _venue.VerifyNoOtherCalls(); // the strict venue mock would have thrown on any of them
        Assert.Empty(_outcomes); // the resilient exchange reports those itself
    }
}
