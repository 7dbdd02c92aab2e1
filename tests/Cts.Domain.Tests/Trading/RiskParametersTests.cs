using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

public sealed class RiskParametersTests
{
    private static void OnlyErrorOn(RiskParameters risk, string field)
    {
        var errors = risk.Validate();
        Assert.Equal([field], errors.Keys);
        Assert.NotEmpty(errors[field]);
    }

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(new RiskParameters().Validate());
        Assert.Empty(new RiskParameters(TrailingStopPct: 1.5m).Validate());
    }

    [Fact]
    public void Each_field_is_checked_under_its_wire_name()
    {
        OnlyErrorOn(new RiskParameters(PositionSizeQuote: 0m), "positionSizeQuote");
        OnlyErrorOn(new RiskParameters(PositionSizeQuote: -10m), "positionSizeQuote");
        OnlyErrorOn(new RiskParameters(MaxOpenPositions: 0), "maxOpenPositions");
        OnlyErrorOn(new RiskParameters(StopLossPct: 0m), "stopLossPct");
        OnlyErrorOn(new RiskParameters(StopLossPct: 100m), "stopLossPct");
        OnlyErrorOn(new RiskParameters(TakeProfitPct: -1m), "takeProfitPct");
        OnlyErrorOn(new RiskParameters(TakeProfitPct: 100m), "takeProfitPct");
        OnlyErrorOn(new RiskParameters(TrailingStopPct: 0m), "trailingStopPct");
        OnlyErrorOn(new RiskParameters(TrailingStopPct: 150m), "trailingStopPct");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = new RiskParameters(0m, 0, 0m, 0m, 0m).Validate();

        Assert.Equal(["maxOpenPositions", "positionSizeQuote", "stopLossPct", "takeProfitPct", "trailingStopPct"],
            errors.Keys.Order(StringComparer.Ordinal));
    }
}
