using Cts.Domain.Connections;
using Cts.Domain.Exchanges;

namespace Cts.Domain.Tests.Connections;

/// <summary>The rules only the stored configuration can tell (presets, credentials), venues as data, and stored connections (import, restore).</summary>
public sealed class ConnectionRulesTests
{
    private static readonly ConnectionDraft Paper = new("c1", "Paper", "paper", ["BTCUSDT"], null, false, false);
    private static readonly ConnectionContext Fresh = new(id => id == "swing", HasStoredCredentials: false);
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_venues_are_data_in_one_place()
    {
        Assert.Equal(["paper", "binance"], ExchangeVenues.Names);
        Assert.Equal(ExchangeVenues.Names, ConnectionValidator.Exchanges);
        Assert.False(ExchangeVenues.Find("paper")!.RequiresCredentials);
        Assert.True(ExchangeVenues.Find("binance")!.HasTestnet);
        Assert.Null(ExchangeVenues.Find("Binance"));
        Assert.Null(ExchangeVenues.Find(null));
    }

    [Theory]
    [InlineData("kraken")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("PAPER")]
    [InlineData(null)]
    public void An_exchange_this_build_does_not_have_is_refused(string? exchange)
    {
        var errors = ConnectionValidator.Validate(Paper with { Exchange = exchange }, Fresh);

        Assert.Equal(["exchange"], errors.Keys);
        Assert.DoesNotContain(errors["exchange"], e => exchange is not null && e.Contains(exchange, StringComparison.Ordinal));
    }

    [Fact]
    public void A_preset_must_exist()
    {
        Assert.Empty(ConnectionValidator.Validate(Paper with { PresetId = "swing" }, Fresh));
        var errors = ConnectionValidator.Validate(Paper with { PresetId = "ghost" }, Fresh);
        Assert.Equal(["presetId"], errors.Keys);
        Assert.Contains("ghost", errors["presetId"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_venue_that_needs_credentials_must_have_them_sent_or_stored_and_not_removed()
    {
        var binance = Paper with { Exchange = "binance" };

        Assert.Equal(["credentials"], ConnectionValidator.Validate(binance, Fresh).Keys);
        Assert.Empty(ConnectionValidator.Validate(binance with { Credentials = new("AKIA00000000000001", "secret") }, Fresh));
        Assert.Empty(ConnectionValidator.Validate(binance, Fresh with { HasStoredCredentials = true }));
        Assert.Equal(["credentials"], ConnectionValidator.Validate(binance with { RemoveCredentials = true }, Fresh with { HasStoredCredentials = true }).Keys);
        Assert.Empty(ConnectionValidator.Validate(Paper with { RemoveCredentials = true }, Fresh with { HasStoredCredentials = true }));
    }

    [Fact]
    public void Testnet_only_on_a_venue_that_has_one()
    {
        Assert.Equal(["testnet"], ConnectionValidator.Validate(Paper with { Testnet = true }, Fresh).Keys);
        Assert.Empty(ConnectionValidator.Validate(Paper with { Exchange = "binance", Testnet = true }, Fresh with { HasStoredCredentials = true }));
    }

    [Theory]
    [InlineData("bell\u0007")]
    [InlineData("line\nbreak")]
    [InlineData("carriage\rreturn")]
    [InlineData("del\u007f")]
    [InlineData("line\u2028separator")]
    public void Control_characters_in_a_name_are_refused(string name)
    {
        Assert.Equal(["name"], ConnectionValidator.Validate(Paper with { Name = name }).Keys);
    }

    [Fact]
    public void A_stored_connection_gets_the_same_rules_and_complete_credentials()
    {
        var legacy = new Connection("legacy", null!, "kraken", ["btc/usdt"], "ghost", false, false, 1, At, At);
        Assert.Equal(["exchange", "name", "presetId", "symbols"], ConnectionValidator.ValidateStored(legacy, _ => false).Keys.Order(StringComparer.Ordinal));

        var noSymbols = new Connection("empty", "Empty", "paper", null!, null, false, false, 1, At, At);
        Assert.Equal(["symbols"], ConnectionValidator.ValidateStored(noSymbols, _ => false).Keys);

        var broken = new Connection("broken", "Broken", "binance", ["BTCUSDT"], null, false, false, 1, At, At, new StoredCredentials("…", "", "x"));
        Assert.Equal(["credentials.protectedApiKey"], ConnectionValidator.ValidateStored(broken, _ => false).Keys);

        var fine = broken with { Credentials = new StoredCredentials("AKIA…0001", "cipher-key", "cipher-secret") };
        Assert.Empty(ConnectionValidator.ValidateStored(fine, _ => false));
        Assert.Equal(["credentials"], ConnectionValidator.ValidateStored(fine with { Credentials = null }, _ => false).Keys);
    }
}
