namespace Cts.Domain.Engines;

/// <summary>Internal events that move an engine without an operator's action (SPEC §3).</summary>
public enum EngineEvent
{
    InitializationSucceeded,
    InitializationFailed,
    /// <summary>The exchange refused the credentials: not retried with the same credentials' hope, but escalated by retry policy.</summary>
    CredentialsRejected,
    /// <summary><c>maxConsecutiveCycleFailures</c> cycles failed in a row.</summary>
    CycleFailuresExceeded,
    /// <summary>A scheduled automatic retry from Error is due.</summary>
    RetryDue,
    StopCompleted,
}

/// <summary>What an engine does on activation with the state it finds persisted.</summary>
public enum RecoveryPlan
{
    None,
    Reinitialize,
    ResumePaused,
    CompleteStop,
}
