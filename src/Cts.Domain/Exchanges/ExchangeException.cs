namespace Cts.Domain.Exchanges;

/// <summary>How an exchange call failed, which decides what the engine does about it.</summary>
public enum ExchangeFaultKind
{
    /// <summary>Timeouts, 5xx, throttling: retried with backoff; a cycle that still fails counts in health.</summary>
    Transient,
    /// <summary>The venue refused the credentials: not retried; the engine goes to Error (<c>credentials-rejected</c>).</summary>
    CredentialsRejected,
    /// <summary>The request itself was wrong (unknown symbol, bad parameters): not retried.</summary>
    Rejected,
}

/// <summary>An exchange call that failed; <see cref="Kind"/> says whether retrying can help.</summary>
public sealed class ExchangeException(ExchangeFaultKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ExchangeFaultKind Kind { get; } = kind;
}
