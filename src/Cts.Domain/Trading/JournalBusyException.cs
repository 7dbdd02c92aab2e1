namespace Cts.Domain.Trading;

/// <summary>
/// The journal did not take a write because the node's own queue for storage was full for the whole write timeout (a
/// trade wave: thousands of engines ordering in the same cycle), so the request was dropped before it was sent. Nothing
/// reached storage and storage itself is not known to be down: an entry whose intent this refused is simply not made
/// (<see cref="EntrySkippedException"/>), with nothing to withdraw and no outage to report. Everywhere else it is handled
/// like any other <see cref="JournalUnavailableException"/>: an exit still goes out, a settlement stays pending.
/// </summary>
public sealed class JournalBusyException(string message, Exception inner) : JournalUnavailableException(message, inner);
