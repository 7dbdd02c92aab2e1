namespace Cts.Domain.Trading;

/// <summary>
/// The trade journal cannot be written (storage outage). Consequence: no new position is opened (its intent cannot
/// be recorded first); exits still go out, since their deterministic ids make a resend after recovery harmless; the
/// engine reports <c>degraded: "storage"</c> and catches up when storage returns.
/// </summary>
public class JournalUnavailableException(string message, Exception inner) : Exception(message, inner);
