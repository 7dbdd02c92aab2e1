using Microsoft.Extensions.Options;

namespace Cts.Functions.Engines;

/// <summary>
/// The node's bound on engines' background writes in flight at once (health flushes, marks, the catch-up after an
/// outage): <see cref="EngineOptions.BackgroundWriteConcurrency"/>. Lifecycle transitions, order intents and audit
/// entries do not take a slot, so they always find storage connections free.
/// </summary>
/// <remarks>
/// Without the bound, ten thousand engines' flushes, each retried while storage was slow, queued behind the storage
/// client's connections until they timed out there, and the retries of those kept storage saturated: a bulk start at
/// 10,000 engines then never finished. An engine waits for a slot before its write starts (waiting is not a stall of
/// storage: its state is not degraded for it), and its later requests keep coalescing meanwhile, so under load each
/// engine's flushes come further apart instead of piling up.
/// </remarks>
public sealed class BackgroundWriteSlots(IOptions<EngineOptions> options)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.BackgroundWriteConcurrency));

    /// <summary>Slots free now.</summary>
    public int Free => _slots.CurrentCount;

    /// <summary>Waits for a slot; dispose the answer to give it back.</summary>
    public async ValueTask<Slot> EnterAsync()
    {
        await _slots.WaitAsync();
        return new Slot(_slots);
    }

    /// <summary>A slot held; disposing it gives it back. The default is no slot (a writer the node does not bound).</summary>
    public readonly struct Slot(SemaphoreSlim? slots) : IDisposable
    {
        public void Dispose() => slots?.Release();
    }
}
