using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

public sealed class TradingBookTests
{
    private static readonly DateTimeOffset OpenedAt = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HasOpenPosition_is_true_only_for_a_symbol_with_an_open_position()
    {
        var position = Position.Open("p1", "conn-1", "BTCUSDT", 1m, 100m, 0.1m, OpenedAt, "cts-entry");
        var book = new TradingBook(new TradingSnapshot([position], [], new HashSet<string>(), 0m));

        Assert.True(book.HasOpenPosition("BTCUSDT"));
        Assert.False(book.HasOpenPosition("ETHUSDT"));
        Assert.False(book.HasOpenPosition("btcusdt")); // symbols compare ordinally, as everywhere else
    }
}
