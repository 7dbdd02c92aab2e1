namespace Cts.Functions.Engines;

/// <summary>
/// Engine defaults from <c>host.json</c> (<c>cts:engine</c>); presets and settings stored through the API override
/// the intervals and retry policy per connection.
/// </summary>
public sealed class EngineOptions
{
    public const string Section = "cts:engine";

    public int IndicationsMs { get; set; } = 5000;
    public int StrategiesMs { get; set; } = 5000;
    public int RealtimeMs { get; set; } = 1000;

    /// <summary>
    /// How often a running engine writes its processor health when it changed notably: a cycle failed, or a failing
    /// processor succeeded again (health is never written per cycle).
    /// </summary>
    public int HealthFlushSeconds { get; set; } = 30;

    /// <summary>
    /// How long health that only counted successful cycles may stay unwritten. Those writes were most of a node's storage
    /// traffic at 10,000 engines (one per engine every <see cref="HealthFlushSeconds"/>); what a crash loses of them is
    /// run counts, never a failure. Transitions and shutdown write health whatever this says.
    /// </summary>
    public int HealthRoutineFlushSeconds { get; set; } = 300;

    /// <summary>Period of the durable reminder that brings an active engine back after a crash (Orleans' minimum is 1 minute).</summary>
    public int WatchdogMinutes { get; set; } = 1;

    /// <summary>
    /// How many engines one node brings back at once after a restart (<see cref="EngineRecoveryQueue"/>); the rest wait
    /// their turn, so a mass recovery does not queue storage requests past the client's timeout.
    /// </summary>
    public int RecoveryConcurrency { get; set; } = 64;

    /// <summary>
    /// How many engines' background writes (health flushes, marks) one node has in flight at once
    /// (<see cref="BackgroundWriteSlots"/>); lifecycle writes, intents and audit entries are not counted.
    /// </summary>
    public int BackgroundWriteConcurrency { get; set; } = 16;

    /// <summary>How long one processor cycle may take before it is cancelled and counted as failed.</summary>
    public int CycleTimeoutSeconds { get; set; } = 30;

    /// <summary>How long SIGTERM waits for in-flight cycles and the final flush before the process exits.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// How long an order intent's write may take on the cycle path before the order is given up (not sent); its settlement
    /// after the venue's answer has the same bound (past it the order stays pending and is reconciled).
    /// </summary>
    public int IntentWriteTimeoutSeconds { get; set; } = 5;

    /// <summary>How long an engine action may take before the API answers 202 instead of waiting.</summary>
    public int RequestTimeoutSeconds { get; set; } = 20;
}
