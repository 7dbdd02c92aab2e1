using Cts.Domain.Audit;
using Cts.Domain.Engines;
using Cts.Functions.Alerts;

namespace Cts.Functions.Engines;

/// <summary>
/// Automatic recovery from Error (SPEC §3): retries with exponential backoff and jitter up to
/// <c>startRetry.maxAttempts</c>, then escalation (<c>escalated: true</c>, an alert and an audit entry). The schedule
/// is persisted, so a retry that was due when the process died is re-armed on the next activation.
/// </summary>
public sealed partial class EngineGrain
{
    private IGrainTimer? _retryTimer;

    /// <summary>The engine just went to Error: schedule the next attempt, or escalate when retrying cannot help or is used up.</summary>
    private async Task ScheduleRetryOrEscalateAsync(bool retryable)
    {
        var policy = (await settingsStore.CurrentAsync()).StartRetry;
        var attempt = (state.State.Retry?.Attempt ?? 0) + 1;
        if (!retryable || attempt > policy.MaxAttempts)
        {
            await EscalateAsync(attempt - 1, policy.MaxAttempts);
            return;
        }
        var delay = RetryBackoff.Delay(policy, attempt, ConnectionId);
        state.State.Retry = new RetrySchedule(attempt, policy.MaxAttempts, time.GetUtcNow() + delay);
        await PersistAsync();
        ArmRetry(delay);
        await EnsureWatchdogAsync();
        LogRetryScheduled(ConnectionId, attempt, policy.MaxAttempts, delay.TotalSeconds);
    }

    private async Task EscalateAsync(int attempts, int maxAttempts)
    {
        var error = state.State.LastError;
        var message = $"{error?.Kind ?? "error"} after {attempts} automatic retries: {error?.Message}";
        // Audit first: once the status says escalated, the audit trail already says why.
        await RecordAsync(SystemActor, "escalate", EngineState.Error, message, AuditOutcomes.Failed, null);
        state.State.Escalated = true;
        state.State.Retry = new RetrySchedule(attempts, maxAttempts, null);
        await PersistAsync();
        await alerts.RaiseAsync(new Alert(time.GetUtcNow(), ConnectionId, error?.Kind ?? "error", message));
        await RemoveWatchdogAsync();
    }

    private void ArmRetry(TimeSpan delay)
    {
        CancelRetry();
        _retryTimer = this.RegisterGrainTimer(_ => RetryAsync(), new GrainTimerCreationOptions
        {
            DueTime = delay < TimeSpan.Zero ? TimeSpan.Zero : delay,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
    }

    private void CancelRetry()
    {
        _retryTimer?.Dispose();
        _retryTimer = null;
    }

    /// <summary>On activation: a retry that was scheduled before a restart is armed again for what is left of its delay.</summary>
    private void ResumeRetrySchedule()
    {
        if (Current == EngineState.Error && !state.State.Escalated && state.State.Retry?.NextAttemptAt is { } next)
        {
            ArmRetry(next - time.GetUtcNow());
        }
    }

    private async Task RetryAsync()
    {
        CancelRetry();
        if (Current != EngineState.Error || state.State.Escalated || state.State.Retry is not { } retry)
        {
            return;
        }
        await StartUpAsync(SystemActor, "retry", $"automatic retry {retry.Attempt} of {retry.MaxAttempts}", null);
    }

    /// <summary>An operator's start, restart, stop or disable takes over from the automatic schedule.</summary>
    private void ResetRetry()
    {
        CancelRetry();
        state.State.Retry = null;
        state.State.Escalated = false;
    }

    private bool RetryPending => Current == EngineState.Error && !state.State.Escalated && state.State.Retry?.NextAttemptAt is not null;

    [LoggerMessage(LogLevel.Warning, "Engine {ConnectionId}: retry {Attempt} of {MaxAttempts} in {DelaySeconds:0.0} s")]
    private partial void LogRetryScheduled(string connectionId, int attempt, int maxAttempts, double delaySeconds);
}
