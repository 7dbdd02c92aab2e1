namespace Cts.Domain.Config;

/// <summary>
/// The one settings document (SPEC §2): how engines retry, time out, escalate and are monitored. Stored through the
/// API; when none is stored these defaults apply.
/// </summary>
public sealed record EngineSettings
{
    /// <summary>On boot, connections with <c>autoStart</c> are enabled and started (engines that were running come back regardless).</summary>
    public bool AutoStartOnBoot { get; init; } = true;
    public int ConnectionMonitorSeconds { get; init; } = 30;
    public int RetentionDays { get; init; } = 7;
    public int ExchangeTimeoutSeconds { get; init; } = 5;
    public StartRetryPolicy StartRetry { get; init; } = new();
    public int MaxConsecutiveCycleFailures { get; init; } = 10;
    public bool AutoRestartOnConfigChange { get; init; }

    public static EngineSettings Defaults { get; } = new();
}

/// <summary>Automatic retries of a failed start: exponential backoff with jitter, then escalation.</summary>
public sealed record StartRetryPolicy
{
    public int MaxAttempts { get; init; } = 5;
    public int BaseDelaySeconds { get; init; } = 2;
    public int MaxDelaySeconds { get; init; } = 60;
}
