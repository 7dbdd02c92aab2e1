using Azure.Core;
using Azure.Core.Pipeline;
using Cts.Functions.Observability;

namespace Cts.Functions.Storage;

/// <summary>
/// Bounds how many requests of one <see cref="StorageLane"/> are at the storage endpoint at once: the others wait here,
/// in order, before they are sent. A request whose caller gives up while it waits (an intent past its write timeout, an
/// order past the exchange timeout) is dropped unsent and counted (<c>cts_storage_requests_dropped_total{lane}</c>).
/// </summary>
/// <remarks>
/// It runs on every try, before the transport, so the storage client's network timeout measures only the time at the
/// endpoint. Without it, a wave of thousands of requests queued inside the HTTP handler for a connection, timed out
/// there, and were sent again by the client's retries; the ones that timed out on the wire aborted their connections,
/// so storage was flooded with retries and new connections while lifecycle writes waited in the same queue.
/// </remarks>
public sealed class InFlightLimit(StorageLane lane, int limit) : HttpPipelinePolicy
{
    private readonly SemaphoreSlim _slots = new(limit, limit);
    private int _waiting;

    public StorageLane Lane => lane;

    /// <summary>Requests of the lane at the endpoint now.</summary>
    public int InFlight => limit - _slots.CurrentCount;

    /// <summary>Requests of the lane waiting to be sent.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await EnterAsync(message).ConfigureAwait(false);
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        EnterAsync(message).AsTask().GetAwaiter().GetResult();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async ValueTask EnterAsync(HttpMessage message)
    {
        if (_slots.Wait(0))
        {
            return;
        }
        Interlocked.Increment(ref _waiting);
        try
        {
            await _slots.WaitAsync(message.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            CtsMetrics.CountStorageRequestDropped(lane);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}
