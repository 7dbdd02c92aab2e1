namespace Cts.Domain.Processors;

/// <summary>The three processors each engine runs, each on its own timer (SPEC §2).</summary>
public enum ProcessorKind
{
    /// <summary>Refresh candles and compute indicators.</summary>
    Indications,
    /// <summary>Apply the preset's rules to fresh indications; open positions.</summary>
    Strategies,
    /// <summary>Mark open positions to market; stop-loss, take-profit, trailing stop.</summary>
    Realtime,
}

public static class ProcessorKindNames
{
    /// <summary>The kind's wire name: the lowercase enum name, a constant (called per cycle, so it allocates nothing).</summary>
    public static string ToWire(this ProcessorKind kind) => kind switch
    {
        ProcessorKind.Indications => "indications",
        ProcessorKind.Strategies => "strategies",
        ProcessorKind.Realtime => "realtime",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
