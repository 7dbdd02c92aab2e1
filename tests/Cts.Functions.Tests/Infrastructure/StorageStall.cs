using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// Fault injection at the storage boundary: a pipeline policy in the host's table client that, during a stall, holds
/// every write request (anything but GET and HEAD) until the stall ends, then lets it through — storage that stops
/// answering writes for a while and then catches up, like an Azurite or a storage account under a stall. Reads pass.
/// </summary>
public sealed class StorageStall : HttpPipelinePolicy
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _release;
    private int _held;

    /// <summary>How many write requests a stall has held so far.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Registers the host's <see cref="CtsTables"/> with this policy in its client (for <c>configureServices</c>).</summary>
    public void Install(IServiceCollection services) => PolicyTables.Install(services, this);

    /// <summary>Holds every write from now until <see cref="End"/> (or <paramref name="limit"/>, whichever is first).</summary>
    public void Begin(TimeSpan limit)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _release = release;
        }
        // Bounded: whatever the test does, the writes are let go after the limit.
        _ = Task.Delay(limit).ContinueWith(_ => release.TrySetResult(), TaskScheduler.Default);
    }

    /// <summary>Lets every held write go, and the ones after it pass.</summary>
    public void End()
    {
        TaskCompletionSource? release;
        lock (_gate)
        {
            release = _release;
            _release = null;
        }
        release?.TrySetResult();
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await HoldAsync(message);
        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        HoldAsync(message).AsTask().GetAwaiter().GetResult();
        ProcessNext(message, pipeline);
    }

    private async ValueTask HoldAsync(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
        {
            return;
        }
        Task? wait;
        lock (_gate)
        {
            wait = _release?.Task;
        }
        if (wait is not null && !wait.IsCompleted)
        {
            Interlocked.Increment(ref _held);
            await wait.WaitAsync(message.CancellationToken);
        }
    }
}
