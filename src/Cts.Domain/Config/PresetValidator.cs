using Cts.Domain.Connections;

namespace Cts.Domain.Config;

/// <summary>
/// The one validator of presets: create, PUT, PATCH, import and restore all go through it, so a client gets every
/// problem at once, per field.
/// </summary>
public static class PresetValidator
{
    public const int MaxNameLength = 100;

    /// <summary>
    /// The fields a PUT must carry (a full replacement; a missing one is 400, never a silent reset). Not required:
    /// <c>id</c> (the URL's), the optional <c>trailingStopPct</c>, <c>indicationsMs</c>, <c>strategiesMs</c>,
    /// <c>realtimeMs</c> (absent or null: unset), and <c>version</c>/<c>updatedAt</c> (set by the store).
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredOnReplace =
    [
        "name", "strategy", "emaFast", "emaSlow", "useRsiFilter", "rsiPeriod", "rsiOversold", "rsiOverbought",
        "positionSizeQuote", "maxOpenPositions", "stopLossPct", "takeProfitPct",
    ];

    /// <summary>Errors per field: the id's pattern, a plain-text name, the strategy's and the risk rules, intervals of at least 250 ms.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(Preset preset)
    {
        var errors = new FieldErrors();
        if (!ConnectionId.IsValid(preset.Id))
        {
            errors.Add("id", $"must match {ConnectionId.Pattern}");
        }
        PlainText.CheckName(errors, "name", preset.Name, MaxNameLength);
        if (preset.Strategy is null)
        {
            errors.Add("strategy", "is required");
        }
        else
        {
            foreach (var (field, messages) in preset.ToStrategyParameters().Validate())
            {
                foreach (var message in messages)
                {
                    errors.Add(field == "name" ? "strategy" : field, message);
                }
            }
        }
        errors.Merge("", preset.ToRiskParameters().Validate());
        if (preset.MaxOpenPositions > Preset.MaxOpenPositionsLimit)
        {
            errors.Add("maxOpenPositions", $"must be at most {Preset.MaxOpenPositionsLimit}");
        }
        CheckInterval(errors, "indicationsMs", preset.IndicationsMs);
        CheckInterval(errors, "strategiesMs", preset.StrategiesMs);
        CheckInterval(errors, "realtimeMs", preset.RealtimeMs);
        return errors.ToDictionary();
    }

    private static void CheckInterval(FieldErrors errors, string field, int? value)
    {
        if (value is { } ms)
        {
            errors.Range(field, ms, Preset.MinIntervalMs, Preset.MaxIntervalMs);
        }
    }
}
