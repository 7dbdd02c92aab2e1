namespace Cts.Domain.Config;

/// <summary>The one validator of the settings document: PUT, PATCH, import and restore all go through it.</summary>
public static class SettingsValidator
{
    /// <summary>A PUT carries every field (a full replacement; a missing one is 400, never a silent reset).</summary>
    public static readonly IReadOnlyList<string> RequiredOnReplace =
    [
        "autoStartOnBoot", "connectionMonitorSeconds", "retentionDays", "exchangeTimeoutSeconds", "startRetry",
        "startRetry.maxAttempts", "startRetry.baseDelaySeconds", "startRetry.maxDelaySeconds", "maxConsecutiveCycleFailures",
        "autoRestartOnConfigChange",
    ];

    public static IReadOnlyDictionary<string, string[]> Validate(EngineSettings settings)
    {
        var errors = new FieldErrors();
        errors.Range("connectionMonitorSeconds", settings.ConnectionMonitorSeconds, 5, 3600);
        errors.Range("retentionDays", settings.RetentionDays, 1, 3650);
        errors.Range("exchangeTimeoutSeconds", settings.ExchangeTimeoutSeconds, 1, 120);
        errors.Range("maxConsecutiveCycleFailures", settings.MaxConsecutiveCycleFailures, 1, 100_000);
        if (settings.StartRetry is null)
        {
            errors.Add("startRetry", "is required");
        }
        else
        {
            errors.Merge("startRetry.", Validate(settings.StartRetry));
        }
        return errors.ToDictionary();
    }

    public static IReadOnlyDictionary<string, string[]> Validate(StartRetryPolicy policy)
    {
        var errors = new FieldErrors();
        errors.Range("maxAttempts", policy.MaxAttempts, 1, 100);
        errors.Range("baseDelaySeconds", policy.BaseDelaySeconds, 1, 3600);
        errors.Range("maxDelaySeconds", policy.MaxDelaySeconds, 1, 86_400);
        if (policy.MaxDelaySeconds < policy.BaseDelaySeconds)
        {
            errors.Add("maxDelaySeconds", "must not be less than baseDelaySeconds");
        }
        return errors.ToDictionary();
    }
}
