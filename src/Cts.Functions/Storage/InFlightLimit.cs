using Azure.Core;
using Azure.Core.Pipeline;
using Cts.Functions.Observability;

namespace Cts.Functions.Storage;

/// <summary>
/// Bounds how many requests of one <see cref="StorageLane"/> are at the storage endpoint at once: the others wait here
/// before they are sent, those not marked deferrable (<see cref="StorageUrgency"/>) first, each kind in order. A request
/// whose caller gives up while it waits (an intent past its write timeout, an order past the exchange timeout) is
/// dropped unsent and counted (<c>cts_storage_requests_dropped_total{lane}</c>); when no earlier try of it was sent, it
/// fails with <see cref="StorageRequestDroppedException"/>, so its caller knows storage never saw it.
/// </summary>
/// <remarks>
/// It runs on every try, before the transport, so the storage client's network timeout measures only the time at the
/// endpoint. Without it, a wave of thousands of requests queued inside the HTTP handler for a connection, timed out
/// there, and were sent again by the client's retries; the ones that timed out on the wire aborted their connections,
/// so storage was flooded with retries and new connections while lifecycle writes waited in the same queue. Without the
/// order of urgency, an engine recovering during a wave had its pending orders' reconciliation wait behind other
/// engines' new entries until it timed out, and its start failed.
/// </remarks>
public sealed class InFlightLimit(StorageLane lane, int limit) : HttpPipelinePolicy
{
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource> _urgent = new();
    private readonly Queue<TaskCompletionSource> _deferrable = new();
    private int _inFlight;
    private int _waiting;

    /// <summary>Requests of the lane waiting to be sent.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting;
            }
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await EnterAsync(message).ConfigureAwait(false);
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        finally
        {
            Leave();
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        EnterAsync(message).GetAwaiter().GetResult();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Leave();
        }
    }

    private async Task EnterAsync(HttpMessage message)
    {
        var cancellationToken = message.CancellationToken;
        cancellationToken.ThrowIfCancellationRequested();
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_inFlight < limit)
            {
                _inFlight++;
                return;
            }
            (StorageUrgency.IsDeferrable ? _deferrable : _urgent).Enqueue(turn);
            _waiting++;
        }
        using var giveUp = cancellationToken.Register(() =>
        {
            if (turn.TrySetCanceled(cancellationToken))
            {
                lock (_gate)
                {
                    _waiting--;
                }
            }
        });
        try
        {
            await turn.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            CtsMetrics.CountStorageRequestDropped(lane);
            if (message.ProcessingContext.RetryNumber == 0)
            {
                // No try of it was ever sent: the caller may rely on nothing having been written.
                throw new StorageRequestDroppedException(lane, cancellationToken);
            }
            throw; // a retry: an earlier try was sent and may have landed
        }
    }

    /// <summary>Hands the slot to the next waiter still waiting (urgent ones first), or frees it.</summary>
    private void Leave()
    {
        lock (_gate)
        {
            while (_urgent.TryDequeue(out var next) || _deferrable.TryDequeue(out next))
            {
                if (next.TrySetResult())
                {
                    _waiting--;
                    return;
                }
            }
            _inFlight--;
        }
    }
}
