namespace Cts.Domain.Engines;

/// <summary>What an operator (or the system on an operator's behalf) may ask of an engine (SPEC §3).</summary>
public enum EngineAction
{
    Enable,
    Disable,
    Start,
    Pause,
    Resume,
    Stop,
    Restart,
    Delete,
}

/// <summary>The lowercase names actions have on the wire (<c>allowedActions</c>, routes).</summary>
public static class EngineActionNames
{
    public static string ToWire(this EngineAction action) => action.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out EngineAction action)
    {
        foreach (var candidate in Enum.GetValues<EngineAction>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.Ordinal))
            {
                action = candidate;
                return true;
            }
        }
        action = default;
        return false;
    }
}
