using Cts.Domain.Connections;

namespace Cts.Domain.Tests.Connections;

public sealed class ConnectionValidatorTests
{
    private static readonly ConnectionDraft Valid = new(
        Id: "btc-main-01",
        Name: "BTC main",
        Exchange: "paper",
        Symbols: ["BTCUSDT", "ETHUSDT"],
        PresetId: "default",
        Testnet: false,
        AutoStart: true);

    /// <summary>Asserts that exactly <paramref name="field"/> has errors and returns them.</summary>
    private static string[] OnlyErrorOn(ConnectionDraft draft, string field)
    {
        var errors = ConnectionValidator.Validate(draft);
        Assert.Equal([field], errors.Keys);
        Assert.NotEmpty(errors[field]);
        return errors[field];
    }

    [Fact]
    public void A_valid_draft_has_no_errors()
    {
        Assert.Empty(ConnectionValidator.Validate(Valid));
    }

    [Fact]
    public void A_valid_draft_for_binance_without_preset_or_flags_has_no_errors()
    {
        var draft = Valid with { Exchange = "binance", PresetId = null, Testnet = null, AutoStart = null };

        Assert.Empty(ConnectionValidator.Validate(draft));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bad_Id")]
    [InlineData("-leading-dash")]
    [InlineData("has space")]
    public void A_bad_id_is_reported_on_id(string? id)
    {
        var errors = OnlyErrorOn(Valid with { Id = id }, "id");

        Assert.Contains(errors, e => e.Contains(ConnectionId.Pattern, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_name_is_reported_as_required(string? name)
    {
        var errors = OnlyErrorOn(Valid with { Name = name }, "name");

        Assert.Contains(errors, e => e.Contains("required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_of_101_characters_is_too_long()
    {
        var errors = OnlyErrorOn(Valid with { Name = new string('n', 101) }, "name");

        Assert.Contains(errors, e => e.Contains("100", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_of_100_characters_is_accepted()
    {
        Assert.Empty(ConnectionValidator.Validate(Valid with { Name = new string('n', 100) }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("kraken")]
    [InlineData("Paper")]
    [InlineData("BINANCE")]
    public void An_unknown_exchange_is_reported_with_the_known_ones(string? exchange)
    {
        var errors = OnlyErrorOn(Valid with { Exchange = exchange }, "exchange");

        Assert.Contains(errors, e => e.Contains("paper", StringComparison.Ordinal) && e.Contains("binance", StringComparison.Ordinal));
    }

    [Fact]
    public void Null_symbols_are_reported_as_required()
    {
        var errors = OnlyErrorOn(Valid with { Symbols = null }, "symbols");

        Assert.Contains(errors, e => e.Contains("at least one", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_symbol_list_is_reported_as_required()
    {
        var errors = OnlyErrorOn(Valid with { Symbols = [] }, "symbols");

        Assert.Contains(errors, e => e.Contains("at least one", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("btcusdt")]
    [InlineData("B")]
    [InlineData("BTC-USDT")]
    [InlineData("BTC USDT")]
    [InlineData("")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTU")] // 21 characters
    public void A_malformed_symbol_is_reported_by_name(string symbol)
    {
        var errors = OnlyErrorOn(Valid with { Symbols = ["BTCUSDT", symbol] }, "symbols");

        Assert.Single(errors);
        Assert.Contains($"'{symbol}'", errors[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BT")]
    [InlineData("ABCDEFGHIJKLMNOPQRST")] // 20 characters
    [InlineData("1000PEPEUSDT")]
    public void Symbols_of_2_to_20_uppercase_letters_and_digits_are_accepted(string symbol)
    {
        Assert.Empty(ConnectionValidator.Validate(Valid with { Symbols = [symbol] }));
    }

    [Fact]
    public void A_null_symbol_in_the_list_is_reported()
    {
        var errors = OnlyErrorOn(Valid with { Symbols = ["BTCUSDT", null!] }, "symbols");

        Assert.Single(errors);
    }

    [Fact]
    public void Every_malformed_symbol_gets_its_own_error()
    {
        var errors = OnlyErrorOn(Valid with { Symbols = ["btc", "x", "ETHUSDT"] }, "symbols");

        Assert.Equal(2, errors.Length);
    }

    [Fact]
    public void Duplicate_symbols_are_reported()
    {
        var errors = OnlyErrorOn(Valid with { Symbols = ["BTCUSDT", "ETHUSDT", "BTCUSDT"] }, "symbols");

        Assert.Contains(errors, e => e.Contains("unique", StringComparison.Ordinal));
    }

    [Fact]
    public void Twenty_one_symbols_are_too_many()
    {
        var symbols = Enumerable.Range(0, 21).Select(i => $"SYM{i:D2}USDT").ToArray();

        var errors = OnlyErrorOn(Valid with { Symbols = symbols }, "symbols");

        Assert.Contains(errors, e => e.Contains("at most 20", StringComparison.Ordinal));
    }

    [Fact]
    public void Twenty_symbols_are_accepted()
    {
        var symbols = Enumerable.Range(0, 20).Select(i => $"SYM{i:D2}USDT").ToArray();

        Assert.Empty(ConnectionValidator.Validate(Valid with { Symbols = symbols }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Default")]
    [InlineData("my preset")]
    [InlineData("-x")]
    public void A_bad_preset_id_is_reported_on_presetId(string presetId)
    {
        var errors = OnlyErrorOn(Valid with { PresetId = presetId }, "presetId");

        Assert.Contains(errors, e => e.Contains(ConnectionId.Pattern, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var draft = new ConnectionDraft("BAD", "", "ftx", ["btc", "btc"], "NOPE", null, null);

        var errors = ConnectionValidator.Validate(draft);

        Assert.Equal(["exchange", "id", "name", "presetId", "symbols"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, errors["symbols"].Length); // two malformed + duplicate
    }

    [Fact]
    public void The_exchanges_are_paper_and_binance_and_the_limits_are_20_symbols_and_100_characters()
    {
        Assert.Equal(["paper", "binance"], ConnectionValidator.Exchanges);
        Assert.Equal(20, ConnectionValidator.MaxSymbols);
        Assert.Equal(100, ConnectionValidator.MaxNameLength);
    }

    [Theory]
    [InlineData("BTCUSDT\n")]
    [InlineData("BTCUSDT\r\n")]
    public void A_symbol_with_a_trailing_line_break_is_reported(string symbol)
    {
        OnlyErrorOn(Valid with { Symbols = [symbol] }, "symbols");
    }

    [Fact]
    public void An_id_with_a_trailing_line_break_is_reported_on_id()
    {
        OnlyErrorOn(Valid with { Id = "btc-main\n" }, "id");
    }
}
