using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// Fault injection at the storage boundary: a pipeline policy in the host's table client that, while armed, fails every
/// write whose body holds a given text — with a 503, as a storage account refusing writes would, or, when
/// <paramref name="timesOut"/>, as a try that ran into the client's network timeout (a cancelled try, which the client
/// retries and then gives up on as an <see cref="AggregateException"/> of its tries). Every other request passes. Chosen
/// by content, so a test can let one lifecycle write through and refuse the next.
/// </summary>
public sealed class StorageRefusal(bool timesOut = false) : HttpPipelinePolicy
{
    private volatile string? _refused;
    private int _refusals;

    /// <summary>How many writes have been refused so far.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>Registers the host's <see cref="CtsTables"/> with this policy in its client (for <c>configureServices</c>).</summary>
    public void Install(IServiceCollection services) => PolicyTables.Install(services, this);

    /// <summary>Refuses, from now until <see cref="Lift"/>, every write whose body contains <paramref name="text"/>.</summary>
    public void Refuse(string text) => _refused = text;

    public void Lift() => _refused = null;

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfRefused(message);
        return ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfRefused(message);
        ProcessNext(message, pipeline);
    }

    private void ThrowIfRefused(HttpMessage message)
    {
        if (_refused is not { } text || message.Request.Method == RequestMethod.Get)
        {
            return;
        }
        if (RequestBody.Text(message)?.Contains(text, StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref _refusals);
            throw timesOut
                ? new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout (the test timed this write out).")
                : new RequestFailedException(503, "the test refused this write");
        }
    }
}
