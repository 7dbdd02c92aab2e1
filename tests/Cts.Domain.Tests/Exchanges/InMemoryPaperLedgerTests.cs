using Cts.Domain.Exchanges;
using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Exchanges;

public sealed class InMemoryPaperLedgerTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset At = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private static OrderResult Filled(string id, decimal price = 100m, decimal quantity = 1m) =>
        new(id, "BTCUSDT", OrderSide.Buy, OrderStatus.Filled, price, quantity, 0.1m, At, null);

    [Fact]
    public async Task Recording_stores_the_order_and_applies_every_delta()
    {
        var ledger = new InMemoryPaperLedger();

        var stored = await ledger.RecordAsync(Filled("a"), -100.1m, new Dictionary<string, decimal> { ["BTC"] = 1m }, None);

        Assert.Equal(Filled("a"), stored);
        Assert.Equal(Filled("a"), await ledger.FindAsync("a", None));
        Assert.Equal(9_899.9m, await ledger.BalanceAsync("USDT", None));
        Assert.Equal(1m, await ledger.BalanceAsync("BTC", None));
    }

    [Fact]
    public async Task Recording_an_existing_id_returns_the_stored_order_and_changes_no_balance()
    {
        var ledger = new InMemoryPaperLedger();
        await ledger.RecordAsync(Filled("a"), -100m, new Dictionary<string, decimal> { ["BTC"] = 1m }, None);

        var again = await ledger.RecordAsync(Filled("a", price: 999m), -999m, new Dictionary<string, decimal> { ["BTC"] = 5m }, None);

        Assert.Equal(Filled("a"), again);
        Assert.Equal(9_900m, await ledger.BalanceAsync("USDT", None));
        Assert.Equal(1m, await ledger.BalanceAsync("BTC", None));
    }

    [Fact]
    public async Task A_delta_below_zero_balance_throws_and_stores_nothing()
    {
        var ledger = new InMemoryPaperLedger(startingQuoteBalance: 50m);

        var e = await Assert.ThrowsAsync<InsufficientBalanceException>(() =>
            ledger.RecordAsync(Filled("a"), -50.01m, new Dictionary<string, decimal> { ["BTC"] = 1m }, None));

        Assert.Equal(("USDT", 50m, -50.01m), (e.Asset, e.Free, e.Delta));
        Assert.Null(await ledger.FindAsync("a", None));
        Assert.Equal(50m, await ledger.BalanceAsync("USDT", None));
        Assert.Equal(0m, await ledger.BalanceAsync("BTC", None));
    }
}
