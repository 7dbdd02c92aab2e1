using Cts.Domain.Strategies;

namespace Cts.Domain.Tests.Strategies;

public sealed class StrategyFactoryTests
{
    [Fact]
    public void Creates_the_strategy_the_parameters_name()
    {
        var crossover = StrategyFactory.Create(new StrategyParameters(StrategyNames.EmaCrossover));
        var reversion = StrategyFactory.Create(new StrategyParameters(StrategyNames.RsiReversion, RsiPeriod: 7));

        Assert.IsType<EmaCrossoverStrategy>(crossover);
        Assert.Equal("ema-crossover", crossover.Name);
        Assert.IsType<RsiReversionStrategy>(reversion);
        Assert.Equal("rsi-reversion", reversion.Name);
        Assert.Equal(8, reversion.WarmupCandles);
    }

    [Fact]
    public void Invalid_parameters_throw_with_every_field_error()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            StrategyFactory.Create(new StrategyParameters("macd", RsiOversold: 80)));

        Assert.Contains("name", error.Message);
        Assert.Contains("rsiOverbought", error.Message);
    }
}
