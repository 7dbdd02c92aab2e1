using Cts.Domain.Config;

namespace Cts.Domain.Tests.Config;

public sealed class PresetValidatorTests
{
    private static readonly Preset Valid = Preset.Default with { Id = "swing", Name = "Swing" };

    [Fact]
    public void The_default_preset_and_a_valid_one_have_no_errors()
    {
        Assert.Empty(PresetValidator.Validate(Preset.Default));
        Assert.Empty(PresetValidator.Validate(Valid with { TrailingStopPct = 1.5m, IndicationsMs = 250, RealtimeMs = Preset.MaxIntervalMs }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bad_Id")]
    [InlineData("-x")]
    [InlineData("x\n")]
    public void A_bad_id_is_reported_on_id(string? id)
    {
        Assert.Equal(["id"], PresetValidator.Validate(Valid with { Id = id! }).Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bell\u0007")]
    [InlineData("two\nlines")]
    [InlineData("c1\u0085")]
    [InlineData("paragraph\u2029")]
    public void A_missing_or_unprintable_name_is_reported_on_name(string name)
    {
        Assert.Equal(["name"], PresetValidator.Validate(Valid with { Name = name }).Keys);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var bad = Valid with
        {
            Strategy = "martingale", PositionSizeQuote = 0m, MaxOpenPositions = Preset.MaxOpenPositionsLimit + 1, IndicationsMs = 249,
        };

        var errors = PresetValidator.Validate(bad);

        Assert.Equal(["indicationsMs", "maxOpenPositions", "positionSizeQuote", "strategy"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_missing_strategy_is_required_not_a_crash()
    {
        Assert.Equal(["strategy"], PresetValidator.Validate(Valid with { Strategy = null! }).Keys);
    }

    [Fact]
    public void A_PUT_must_carry_every_field_but_the_optional_ones()
    {
        Assert.DoesNotContain("id", PresetValidator.RequiredOnReplace);
        Assert.DoesNotContain("trailingStopPct", PresetValidator.RequiredOnReplace);
        Assert.DoesNotContain("indicationsMs", PresetValidator.RequiredOnReplace);
        Assert.Contains("emaFast", PresetValidator.RequiredOnReplace);
        Assert.Contains("positionSizeQuote", PresetValidator.RequiredOnReplace);
        Assert.Equal(12, PresetValidator.RequiredOnReplace.Count);
    }
}
