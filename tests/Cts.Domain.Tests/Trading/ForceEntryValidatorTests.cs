using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

public sealed class ForceEntryValidatorTests
{
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT"];

    [Theory]
    [InlineData("BTCUSDT", null)]
    [InlineData("ETHUSDT", "25")]
    [InlineData("BTCUSDT", "1000000")]
    public void A_symbol_of_the_connection_and_a_sane_amount_are_valid(string symbol, string? amount) =>
        Assert.Empty(ForceEntryValidator.Validate(symbol, amount is null ? null : decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), null, Symbols));

    [Theory]
    [InlineData("SOLUSDT")]
    [InlineData("btcusdt")]
    [InlineData("")]
    [InlineData(null)]
    public void A_symbol_the_connection_does_not_trade_is_refused(string? symbol) =>
        Assert.Contains("symbol", ForceEntryValidator.Validate(symbol, 25m, null, Symbols).Keys);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1000000.01")]
    public void An_amount_not_above_zero_or_above_the_bound_is_refused(string amount)
    {
        var errors = ForceEntryValidator.Validate("BTCUSDT", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), null, Symbols);

        Assert.Equal(["quoteAmount"], errors.Keys);
    }

    [Fact]
    public void Every_problem_is_reported_at_once() =>
        Assert.Equal(["quoteAmount", "reason", "symbol"],
            ForceEntryValidator.Validate("NOPE", 0m, new string('x', 501), Symbols).Keys.Order(StringComparer.Ordinal));
}
