using Cts.Domain.Exchanges;

namespace Cts.Functions.Exchanges;

/// <summary>
/// A venue's "slow down, try again in N seconds" (HTTP 429/418 with Retry-After), carried on a transient
/// <see cref="ExchangeException"/>: the retry of <see cref="ExchangeResilience"/> then waits exactly that long.
/// </summary>
/// <remarks>
/// <see cref="ExchangeException"/> is sealed, and every caller (the engine, the run builder) already knows what to do
/// with it: a throttled call is a transient failure like any other. So a throttle is not a new exception type (which
/// would leak past anything that only catches <see cref="ExchangeException"/>) but an
/// <see cref="ExchangeException"/> of kind <see cref="ExchangeFaultKind.Transient"/> whose
/// <see cref="Exception.Data"/> holds the delay under <see cref="RetryAfterKey"/>. Adapters create it with
/// <see cref="Throttled"/> and nothing reads the key except <see cref="TryGetRetryAfter"/>. If the domain exception
/// ever gets a <c>RetryAfter</c> property, only these two methods change.
/// </remarks>
public static class ExchangeThrottling
{
    /// <summary>The <see cref="Exception.Data"/> key of the delay (a <see cref="TimeSpan"/>).</summary>
    public const string RetryAfterKey = "RetryAfter";

    /// <summary>A transient fault after which the venue asked to wait <paramref name="retryAfter"/> before calling again.</summary>
    public static ExchangeException Throttled(string message, TimeSpan retryAfter, Exception? inner = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        var exception = new ExchangeException(ExchangeFaultKind.Transient, message, inner);
        exception.Data[RetryAfterKey] = retryAfter;
        return exception;
    }

    /// <summary>The delay the venue asked for, when <paramref name="exception"/> is a transient fault that carries one.</summary>
    public static bool TryGetRetryAfter(this ExchangeException exception, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Kind == ExchangeFaultKind.Transient && exception.Data[RetryAfterKey] is TimeSpan delay && delay >= TimeSpan.Zero)
        {
            retryAfter = delay;
            return true;
        }
        retryAfter = default;
        return false;
    }
}
