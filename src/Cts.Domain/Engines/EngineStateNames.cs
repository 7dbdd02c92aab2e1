namespace Cts.Domain.Engines;

public static class EngineStateNames
{
    private static readonly string[] Names = Enum.GetNames<EngineState>();

    /// <summary>
    /// The state's name as the API and storage write it (the enum name), one string per state for the process's life:
    /// a running engine names its state in every status, once a second.
    /// </summary>
    public static string Name(this EngineState state) =>
        (uint)state < (uint)Names.Length ? Names[(int)state] : state.ToString();
}
