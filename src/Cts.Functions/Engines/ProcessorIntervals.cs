using Cts.Domain.Config;
using Cts.Domain.Processors;

namespace Cts.Functions.Engines;

/// <summary>The interval each processor runs at: the preset's when it sets one, else the host's default.</summary>
public sealed record ProcessorIntervals(TimeSpan Indications, TimeSpan Strategies, TimeSpan Realtime)
{
    public static ProcessorIntervals From(EngineOptions defaults, Preset? preset) => new(
        TimeSpan.FromMilliseconds(preset?.IndicationsMs ?? defaults.IndicationsMs),
        TimeSpan.FromMilliseconds(preset?.StrategiesMs ?? defaults.StrategiesMs),
        TimeSpan.FromMilliseconds(preset?.RealtimeMs ?? defaults.RealtimeMs));

    public TimeSpan Of(ProcessorKind kind) => kind switch
    {
        ProcessorKind.Indications => Indications,
        ProcessorKind.Strategies => Strategies,
        _ => Realtime,
    };
}
