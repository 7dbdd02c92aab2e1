namespace Cts.Domain.Engines;

/// <summary>The lifecycle states of an engine (SPEC §3).</summary>
public enum EngineState
{
    /// <summary>The connection is disabled; the engine may not start.</summary>
    Idle,
    /// <summary>The connection is enabled; the engine may start.</summary>
    Enabled,
    /// <summary>Loading configuration and checking the exchange before the first cycle.</summary>
    Initializing,
    /// <summary>All three processors run on their timers.</summary>
    Running,
    /// <summary>No new entries; open positions are still managed.</summary>
    Paused,
    /// <summary>Timers are being stopped (and positions closed when asked).</summary>
    Stopping,
    /// <summary>No cycle runs.</summary>
    Stopped,
    /// <summary>Initialization or cycles failed; the engine retries by itself until escalated.</summary>
    Error,
}
