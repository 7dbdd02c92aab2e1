namespace Cts.Domain.Strategies;

/// <summary>Turns a preset's <see cref="StrategyParameters"/> into the strategy it names.</summary>
public static class StrategyFactory
{
    /// <summary>The strategy named by <paramref name="parameters"/>. Throws <see cref="ArgumentException"/> listing every field error when invalid.</summary>
    public static IStrategy Create(StrategyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        EnsureValid(parameters);
        return parameters.Name switch
        {
            StrategyNames.EmaCrossover => new EmaCrossoverStrategy(parameters),
            StrategyNames.RsiReversion => new RsiReversionStrategy(parameters),
            _ => throw new ArgumentException($"unknown strategy '{parameters.Name}'", nameof(parameters)),
        };
    }

    internal static void EnsureValid(StrategyParameters parameters)
    {
        var errors = parameters.Validate();
        if (errors.Count > 0)
        {
            var text = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
            throw new ArgumentException($"invalid strategy parameters: {text}", nameof(parameters));
        }
    }
}
