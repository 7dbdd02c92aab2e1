using Cts.Domain.Strategies;

namespace Cts.Domain.Tests.Strategies;

public sealed class StrategyParametersTests
{
    private static string[] OnlyErrorOn(StrategyParameters parameters, string field)
    {
        var errors = parameters.Validate();
        Assert.Equal([field], errors.Keys);
        Assert.NotEmpty(errors[field]);
        return errors[field];
    }

    [Fact]
    public void Defaults_are_valid_and_the_textbook_values()
    {
        var defaults = new StrategyParameters();

        Assert.Empty(defaults.Validate());
        Assert.Equal(("ema-crossover", 9, 21, false, 14, 30.0, 70.0),
            (defaults.Name, defaults.EmaFast, defaults.EmaSlow, defaults.UseRsiFilter, defaults.RsiPeriod, defaults.RsiOversold, defaults.RsiOverbought));
        Assert.Empty((defaults with { Name = "rsi-reversion" }).Validate());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("EMA-CROSSOVER")]
    [InlineData("macd")]
    public void Unknown_names_are_refused(string? name)
    {
        OnlyErrorOn(new StrategyParameters() with { Name = name! }, "name");
    }

    [Theory]
    [InlineData(9, 9)]
    [InlineData(21, 9)]
    public void Fast_must_be_shorter_than_slow(int fast, int slow)
    {
        var error = OnlyErrorOn(new StrategyParameters(EmaFast: fast, EmaSlow: slow), "emaSlow");

        Assert.Contains("greater than emaFast", error[0]);
    }

    [Fact]
    public void Periods_must_be_at_least_2()
    {
        OnlyErrorOn(new StrategyParameters(EmaFast: 1), "emaFast");
        OnlyErrorOn(new StrategyParameters(RsiPeriod: 1), "rsiPeriod");
        OnlyErrorOn(new StrategyParameters(RsiPeriod: 0), "rsiPeriod");
        Assert.Empty(new StrategyParameters(EmaFast: 2, EmaSlow: 3, RsiPeriod: 2).Validate());
    }

    [Fact]
    public void Periods_are_capped_so_the_warm_up_fits_one_candle_request()
    {
        OnlyErrorOn(new StrategyParameters(RsiPeriod: StrategyParameters.MaxPeriod + 1), "rsiPeriod");
        Assert.Empty(new StrategyParameters(EmaSlow: StrategyParameters.MaxPeriod).Validate());
    }

    [Theory]
    [InlineData(0, 70, "rsiOversold")]
    [InlineData(-5, 70, "rsiOversold")]
    [InlineData(double.NaN, 70, "rsiOversold")]
    [InlineData(30, 100, "rsiOverbought")]
    [InlineData(30, 30, "rsiOverbought")]
    [InlineData(60, 40, "rsiOverbought")]
    [InlineData(30, double.NaN, "rsiOverbought")]
    public void Rsi_thresholds_must_satisfy_0_lt_oversold_lt_overbought_lt_100(double oversold, double overbought, string field)
    {
        OnlyErrorOn(new StrategyParameters(RsiOversold: oversold, RsiOverbought: overbought), field);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = new StrategyParameters("nope", EmaFast: 1, EmaSlow: 1, RsiPeriod: 1, RsiOversold: 0, RsiOverbought: 100).Validate();

        Assert.Equal(["emaFast", "emaSlow", "name", "rsiOverbought", "rsiOversold", "rsiPeriod"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, errors["emaSlow"].Length); // below 2, and not greater than emaFast
    }
}
